using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;

namespace Wav2Vec2Sharp.Models;

/// <summary>Loads and saves the model classes as Hugging Face model directories.</summary>
public static class Wav2Vec2Pretrained
{
    /// <summary>HF class names written to <c>architectures</c>.</summary>
    public const string ModelArchitecture = "Wav2Vec2Model", CtcArchitecture = "Wav2Vec2ForCTC", PreTrainingArchitecture = "Wav2Vec2ForPreTraining";

    private static readonly string[] CtcHead = ["lm_head."];
    private static readonly string[] PreTrainingHead = ["quantizer.", "project_hid.", "project_q."];

    /// <summary>Loads the body from any wav2vec2 directory (heads in the checkpoint are ignored).</summary>
    public static Wav2Vec2Model LoadModel(string directory) =>
        Load(directory, config => new Wav2Vec2Model(config), LoadOptions.Strict);

    /// <summary>Loads a CTC model; the checkpoint must hold <c>lm_head</c> (a pretraining head, if present, is ignored).</summary>
    public static Wav2Vec2ForCtc LoadForCtc(string directory) =>
        Load(directory, config => new Wav2Vec2ForCtc(config), new LoadOptions { IgnoredTensorPrefixes = PreTrainingHead });

    /// <summary>Loads a pretraining model; the checkpoint must hold the quantizer and projections (a CTC head is ignored).</summary>
    public static Wav2Vec2ForPreTraining LoadForPreTraining(string directory) =>
        Load(directory, config => new Wav2Vec2ForPreTraining(config), new LoadOptions { IgnoredTensorPrefixes = CtcHead });

    /// <summary>Saves a CTC model with its vocabulary and preprocessing settings.</summary>
    public static void Save(Wav2Vec2ForCtc model, string directory, Vocabulary? vocabulary = null, FeatureExtractorConfig? featureExtractor = null) =>
        ModelDirectory.Save(model, model.Config, CtcArchitecture, directory,
            featureExtractor ?? FeatureExtractorConfig.For(model.Config), vocabulary);

    /// <summary>Saves a pretraining model.</summary>
    public static void Save(Wav2Vec2ForPreTraining model, string directory, FeatureExtractorConfig? featureExtractor = null) =>
        ModelDirectory.Save(model, model.Config, PreTrainingArchitecture, directory, featureExtractor ?? FeatureExtractorConfig.For(model.Config));

    /// <summary>Saves the body alone.</summary>
    public static void Save(Wav2Vec2Model model, string directory, FeatureExtractorConfig? featureExtractor = null) =>
        ModelDirectory.Save(model, model.Config, ModelArchitecture, directory, featureExtractor ?? FeatureExtractorConfig.For(model.Config));

    private static T Load<T>(string directory, Func<Wav2Vec2Config, T> build, LoadOptions options) where T : TorchSharp.torch.nn.Module
    {
        Runtime.TorchRuntime.EnsureLoaded();
        var config = ModelDirectory.ReadConfig(directory);
        var model = build(config);
        try
        {
            ModelDirectory.LoadWeights(model, directory, options);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }
}
