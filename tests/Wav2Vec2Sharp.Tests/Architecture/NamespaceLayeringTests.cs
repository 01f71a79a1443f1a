using System.Text.RegularExpressions;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Architecture;

/// <summary>
/// Inside the core, the areas (the first namespace level under <c>Wav2Vec2Sharp</c>: Audio, Data, Decoding, Models, …)
/// depend on each other without cycles: an area's <c>using Wav2Vec2Sharp.X</c> directives are its dependencies, and
/// the graph they make must be acyclic.
/// </summary>
public sealed partial class NamespaceLayeringTests
{
    [Fact]
    public void Core_areas_depend_on_each_other_without_cycles()
    {
        var (dependencies, evidence) = AreaDependencies(Fixtures.RepositoryPath("src/Wav2Vec2Sharp"));
        Assert.Contains("Inference", dependencies.Keys);

        var cycle = FindCycle(dependencies);

        Assert.True(cycle is null, cycle is null ? "" :
            "Cycle between core areas: " + string.Join(" -> ", cycle) + Environment.NewLine +
            string.Join(Environment.NewLine, cycle.Zip(cycle.Skip(1)).Select(e => $"{e.First} -> {e.Second}: {evidence[(e.First, e.Second)]}")));
    }

    [Fact]
    public void A_cycle_is_found_when_there_is_one()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"],
        };

        Assert.Equal(["A", "B", "C", "A"], FindCycle(graph));
        graph["C"].Clear();
        Assert.Null(FindCycle(graph));
    }

    private static (Dictionary<string, HashSet<string>> Graph, Dictionary<(string, string), string> Evidence) AreaDependencies(string sourceRoot)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        var evidence = new Dictionary<(string, string), string>();
        foreach (string file in Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(sourceRoot, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
                continue;
            string text = File.ReadAllText(file);
            var declared = NamespaceDeclaration().Match(text);
            if (!declared.Success)
                continue;
            string area = declared.Groups[1].Value;
            var targets = graph.TryGetValue(area, out var set) ? set : graph[area] = [];
            foreach (Match used in UsingDirective().Matches(text))
            {
                string target = used.Groups[1].Value;
                if (target == area)
                    continue;
                targets.Add(target);
                evidence.TryAdd((area, target), relative);
            }
        }
        return (graph, evidence);
    }

    /// <summary>A cycle as its nodes with the first repeated at the end, or null; depth-first, nodes in ordinal order.</summary>
    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>();   // 1: on the path, 2: done
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (string next in (graph.TryGetValue(node, out var targets) ? targets : []).Order(StringComparer.Ordinal))
            {
                if (state.GetValueOrDefault(next) == 1)
                    return [.. path[path.IndexOf(next)..], next];
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                    return found;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
        foreach (string node in graph.Keys.Order(StringComparer.Ordinal))
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
                return cycle;
        return null;
    }

    [GeneratedRegex(@"^namespace Wav2Vec2Sharp\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^using (?:static )?Wav2Vec2Sharp\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();
}
