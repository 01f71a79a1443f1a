using System.Reflection;

namespace Wav2Vec2Sharp.Tests.Architecture;

/// <summary>
/// The packages depend one way: the core (<c>Wav2Vec2Sharp</c>) on no other package of ours, training, the corpus and
/// ONNX each on the core alone, and only the <c>w2v</c> tool on all of them (core ← Training ← tool, core ← Corpus ← tool,
/// core ← Onnx ← tool). A reference the other way fails here.
/// </summary>
public sealed class PackageDependencyTests
{
    private static readonly Assembly Core = typeof(Wav2Vec2Sharp.Inference.Transcriber).Assembly;
    private static readonly Assembly Training = typeof(Wav2Vec2Sharp.Training.Pretrainer).Assembly;
    private static readonly Assembly Corpus = typeof(Wav2Vec2Sharp.Corpus.CorpusSynthesizer).Assembly;
    private static readonly Assembly Onnx = typeof(Wav2Vec2Sharp.Onnx.OnnxAcousticModel).Assembly;
    private static readonly Assembly Tool = typeof(Wav2Vec2Sharp.Cli.CliApp).Assembly;

    private static List<string> OurReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Wav2Vec2Sharp", StringComparison.Ordinal) || n == "w2v").Order().ToList();

    [Fact]
    public void The_core_references_no_other_package_of_ours()
    {
        Assert.Equal("Wav2Vec2Sharp", Core.GetName().Name);
        Assert.Empty(OurReferences(Core));
    }

    [Fact]
    public void Training_the_corpus_and_onnx_reference_only_the_core()
    {
        Assert.Equal("Wav2Vec2Sharp.Onnx", Onnx.GetName().Name);
        Assert.Equal(["Wav2Vec2Sharp"], OurReferences(Training));
        Assert.Equal(["Wav2Vec2Sharp"], OurReferences(Corpus));
        Assert.Equal(["Wav2Vec2Sharp"], OurReferences(Onnx));
    }

    [Fact]
    public void Only_the_tool_references_training_the_corpus_and_onnx()
    {
        Assert.Equal(["Wav2Vec2Sharp", "Wav2Vec2Sharp.Corpus", "Wav2Vec2Sharp.Onnx", "Wav2Vec2Sharp.Training"], OurReferences(Tool));
    }

    [Fact]
    public void Only_the_onnx_package_references_onnx_runtime()
    {
        Assert.Contains(Onnx.GetReferencedAssemblies(), a => a.Name == "Microsoft.ML.OnnxRuntime");
        foreach (var assembly in new[] { Core, Training, Corpus })
            Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
    }

    [Fact]
    public void The_core_training_and_onnx_carry_no_console_or_drawing_code()
    {
        foreach (var assembly in new[] { Core, Training, Onnx })
        {
            Assert.DoesNotContain(assembly.GetTypes(), t => t.Namespace is "Wav2Vec2Sharp.Plotting" or "Wav2Vec2Sharp.Demo" or "Wav2Vec2Sharp.Corpus");
            Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name is "Spectre.Console" or "ScottPlot" or "System.CommandLine");
        }
    }
}

/// <summary>Every error our packages report about input derives from one root type that applications can catch.</summary>
public sealed class ExceptionHierarchyTests
{
    [Fact]
    public void Every_public_exception_of_our_packages_derives_from_Wav2Vec2SharpException()
    {
        var assemblies = new[]
        {
            typeof(Wav2Vec2SharpException).Assembly, typeof(Wav2Vec2Sharp.Training.Pretrainer).Assembly, typeof(Wav2Vec2Sharp.Corpus.CorpusSynthesizer).Assembly,
            typeof(Wav2Vec2Sharp.Onnx.OnnxAcousticModel).Assembly,
        };
        var exceptions = assemblies.SelectMany(a => a.GetExportedTypes()).Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();

        Assert.Contains(typeof(Wav2Vec2Sharp.Audio.AudioDecodeException), exceptions);
        Assert.All(exceptions, t => Assert.True(typeof(Wav2Vec2SharpException).IsAssignableFrom(t), $"{t.FullName} does not derive from Wav2Vec2SharpException"));
    }
}

/// <summary>Every long operation of the packages reports through one contract: an <see cref="IProgress{T}"/> parameter.</summary>
public sealed class ProgressContractTests
{
    [Fact]
    public void Every_public_progress_parameter_is_an_IProgress()
    {
        var assemblies = new[]
        {
            typeof(Wav2Vec2SharpException).Assembly, typeof(Wav2Vec2Sharp.Training.Pretrainer).Assembly, typeof(Wav2Vec2Sharp.Corpus.CorpusSynthesizer).Assembly,
            typeof(Wav2Vec2Sharp.Onnx.OnnxAcousticModel).Assembly,
        };
        var parameters = assemblies.SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.GetMethods().Cast<System.Reflection.MethodBase>().Concat(t.GetConstructors()))
            .SelectMany(m => m.GetParameters().Select(p => (Method: $"{m.DeclaringType!.Name}.{m.Name}", Parameter: p)))
            .Where(x => x.Parameter.Name == "progress")
            .ToList();

        Assert.True(parameters.Count >= 8, $"only {parameters.Count} progress parameters found");
        Assert.All(parameters, x => Assert.True(
            x.Parameter.ParameterType.IsGenericType && x.Parameter.ParameterType.GetGenericTypeDefinition() == typeof(IProgress<>),
            $"{x.Method}: progress is a {x.Parameter.ParameterType.Name}"));
        Assert.DoesNotContain(assemblies.SelectMany(a => a.GetExportedTypes()).SelectMany(t => t.GetEvents()), e => e.Name == "Progress");
    }
}
