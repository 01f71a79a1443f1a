using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Modules;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Training;

/// <summary>What a fine-tuning run read from its data, for the report printed before training.</summary>
/// <param name="TrainUtterances">Usable training utterances.</param>
/// <param name="TrainSeconds">Their audio duration.</param>
/// <param name="DevUtterances">Usable dev utterances.</param>
/// <param name="BadRows">Rows skipped while reading the manifests, with file and line.</param>
/// <param name="TooShort">Utterances skipped because their audio has fewer frames than CTC needs for the transcript.</param>
/// <param name="UnknownCharacters">Transcript characters outside the vocabulary (mapped to &lt;unk&gt;).</param>
/// <param name="Vocabulary">The vocabulary used.</param>
public sealed record FineTuningData(int TrainUtterances, double TrainSeconds, int DevUtterances, IReadOnlyList<BadRow> BadRows,
    IReadOnlyList<string> TooShort, int UnknownCharacters, Vocabulary Vocabulary);

/// <summary>CTC fine-tuning from labelled manifests on disk to an HF <c>Wav2Vec2ForCTC</c> directory.</summary>
public static class FineTuningRun
{
    /// <summary>File in the output folder recording the options a run used (written by <see cref="FineTuner.Run"/>).</summary>
    public const string OptionsFile = "finetuning_options.json";

    /// <summary>The architecture changes fine-tuning applies to a pretraining configuration (fairseq <c>Wav2Vec2AsrConfig</c>):
    /// no dropout except 0.1 after the FFN activation, the recipe's layerdrop and masking, the vocabulary's size and blank.</summary>
    public static Wav2Vec2Config ForFineTuning(Wav2Vec2Config config, Vocabulary vocabulary, FineTuningOptions options) => config with
    {
        Architectures = [Wav2Vec2Pretrained.CtcArchitecture],
        HiddenDropout = 0, AttentionDropout = 0, ActivationDropout = 0.1, FeatProjDropout = 0, FinalDropout = 0,
        Layerdrop = options.Layerdrop,
        MaskTimeProb = options.MaskTimeProb, MaskTimeLength = options.MaskTimeLength,
        MaskFeatureProb = options.MaskChannelProb, MaskFeatureLength = options.MaskChannelLength,
        VocabSize = vocabulary.Count, PadTokenId = vocabulary.BlankId,
        CtcZeroInfinity = options.CtcZeroInfinity, CtcLossReduction = options.CtcReduction,
    };

    /// <summary>
    /// A CTC model for <paramref name="vocabulary"/>: the body of <paramref name="initFrom"/> (any wav2vec2 directory: a
    /// pretraining checkpoint, ours or HF's) with a new <c>lm_head</c>, or random weights from <paramref name="architecture"/>.
    /// With <see cref="FineTuningOptions.KeepCtcHead"/>, <paramref name="initFrom"/> is a fine-tuned CTC model whose
    /// vocabulary is <paramref name="vocabulary"/>, and its <c>lm_head</c> is loaded too.
    /// </summary>
    /// <exception cref="Wav2Vec2SharpException">When the head is to be kept but <paramref name="initFrom"/> is not a CTC
    /// model with <paramref name="vocabulary"/>.</exception>
    public static Wav2Vec2ForCtc CreateModel(string? initFrom, Wav2Vec2Config? architecture, Vocabulary vocabulary, FineTuningOptions options)
    {
        var source = initFrom is not null ? ModelDirectory.ReadConfig(initFrom) : architecture ?? throw new ArgumentException("give a checkpoint or an architecture");
        bool keepHead = initFrom is not null && options.KeepCtcHead;
        if (keepHead)
            RequireCtcVocabulary(initFrom!, vocabulary);
        var model = new Wav2Vec2ForCtc(ForFineTuning(source, vocabulary, options));
        if (initFrom is not null)
        {
            ModelDirectory.LoadWeights(model, initFrom, new LoadOptions
            {
                NewTensorPrefixes = keepHead ? [] : ["lm_head."], // a new head keeps the weights just drawn, even over the model's own
                IgnoredTensorPrefixes = ["quantizer.", "project_hid.", "project_q."],
            });
            ReinitializeTopLayers(model, options.ReinitializedTopLayers);
        }
        return model;
    }

    /// <summary>
    /// The vocabulary of the CTC model in <paramref name="directory"/> (its configuration names <c>Wav2Vec2ForCTC</c>
    /// and a <c>vocab.json</c> lies beside it), or null for a pretraining checkpoint or a bare <c>Wav2Vec2Model</c>.
    /// </summary>
    public static Vocabulary? CtcVocabularyOf(string directory)
    {
        var vocabPath = Path.Combine(directory, "vocab.json");
        var config = ModelDirectory.ReadConfig(directory);
        return config.Architectures?.Contains(Wav2Vec2Pretrained.CtcArchitecture) == true && File.Exists(vocabPath) ? Vocabulary.Load(vocabPath) : null;
    }

    /// <summary>Whether two vocabularies have the same tokens with the same ids and the same special tokens.</summary>
    public static bool SameTokens(Vocabulary first, Vocabulary second) =>
        first.Count == second.Count && first.PadToken == second.PadToken && first.WordDelimiter == second.WordDelimiter &&
        Enumerable.Range(0, first.Count).All(id => first[id] == second[id]);

    private static void RequireCtcVocabulary(string directory, Vocabulary vocabulary)
    {
        var own = CtcVocabularyOf(directory)
            ?? throw new Wav2Vec2SharpException($"{directory} is not a fine-tuned CTC model (Wav2Vec2ForCTC with a vocab.json): it has no CTC head to continue.");
        if (!SameTokens(own, vocabulary))
            throw new Wav2Vec2SharpException($"{directory}: its CTC head has a vocabulary of {own.Count} tokens that differs from this run's ({vocabulary.Count} tokens); " +
                                             "a new head is needed for another vocabulary.");
    }

    /// <summary>
    /// Gives the top <paramref name="count"/> Transformer layers of <paramref name="model"/> the random weights a newly
    /// built layer has (HF initialisation, from the global torch generator); the other weights are untouched.
    /// </summary>
    /// <exception cref="Wav2Vec2SharpException">When <paramref name="count"/> is negative or above the number of layers.</exception>
    public static void ReinitializeTopLayers(Wav2Vec2ForCtc model, int count)
    {
        var layers = model.Wav2Vec2.Encoder.Layers;
        if (count < 0 || count > layers.Count)
            throw new Wav2Vec2SharpException($"cannot re-initialise {count} Transformer layers: the model has {layers.Count}.");
        using var noGrad = TorchSharp.torch.no_grad();
        for (int i = layers.Count - count; i < layers.Count; i++)
        {
            using var fresh = new EncoderLayer(model.Config);
            var target = layers[i].named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in fresh.named_parameters())
                target[name].copy_(parameter);
        }
    }

    /// <summary>
    /// Reads the labelled data (bad rows reported, never fatal unless nothing is left), loads the audio into memory,
    /// encodes the transcripts, and drops utterances too short for CTC.
    /// </summary>
    public static (List<LabelledClip> Train, List<LabelledClip> Dev, FineTuningData Report) LoadData(string trainManifest, string? devManifest,
        Vocabulary? vocabulary, TextNormalizer normalizer, FeatureExtractorConfig featureExtractor, Wav2Vec2Config architecture, int maskTimeLength,
        IProgress<CountProgress>? progress = null) =>
        LoadData(trainManifest, devManifest, vocabulary, normalizer, featureExtractor, architecture, maskTimeLength, keepRawTrainingAudio: false, progress);

    /// <summary>
    /// Reads the labelled data as <see cref="LoadData(string, string?, Vocabulary?, TextNormalizer, FeatureExtractorConfig, Wav2Vec2Config, int, IProgress{CountProgress}?)"/>
    /// does; with <paramref name="keepRawTrainingAudio"/>, training clips that are normalised also keep their raw audio
    /// (<see cref="LabelledClip.RawSamples"/>, for <see cref="FineTuningOptions.Augmentation"/>), which doubles their memory.
    /// </summary>
    public static (List<LabelledClip> Train, List<LabelledClip> Dev, FineTuningData Report) LoadData(string trainManifest, string? devManifest,
        Vocabulary? vocabulary, TextNormalizer normalizer, FeatureExtractorConfig featureExtractor, Wav2Vec2Config architecture, int maskTimeLength,
        bool keepRawTrainingAudio, IProgress<CountProgress>? progress = null) =>
        LoadData([trainManifest], devManifest, vocabulary, normalizer, featureExtractor, architecture, maskTimeLength, keepRawTrainingAudio, progress);

    /// <summary>
    /// Reads the labelled data as <see cref="LoadData(string, string?, Vocabulary?, TextNormalizer, FeatureExtractorConfig, Wav2Vec2Config, int, bool, IProgress{CountProgress}?)"/>
    /// does, training on the utterances of every manifest in <paramref name="trainManifests"/> together (e.g. the human
    /// labels and a self-training manifest of pseudo-labels, <see cref="SelfTraining.PseudoLabeller"/>).
    /// </summary>
    /// <param name="trainManifests">Labelled manifests to train on together (fairseq .tsv with .ltr/.wrd, JSONL, TSV/CSV).</param>
    /// <param name="devManifest">Labelled dev data, or null.</param>
    /// <param name="vocabulary">The CTC vocabulary; null builds one from the training text.</param>
    /// <param name="normalizer">Normalises the transcripts.</param>
    /// <param name="featureExtractor">Sampling rate and per-utterance normalisation of the audio.</param>
    /// <param name="architecture">The model, whose frame hop decides which utterances are too short for their transcript.</param>
    /// <param name="maskTimeLength">Frames per time-mask span (an utterance must fit one).</param>
    /// <param name="keepRawTrainingAudio">Whether normalised training clips also keep their raw audio (for augmentation).</param>
    /// <param name="progress">Told after each utterance is read.</param>
    /// <param name="cancellationToken">Checked before each utterance is read.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static (List<LabelledClip> Train, List<LabelledClip> Dev, FineTuningData Report) LoadData(IReadOnlyList<string> trainManifests, string? devManifest,
        Vocabulary? vocabulary, TextNormalizer normalizer, FeatureExtractorConfig featureExtractor, Wav2Vec2Config architecture, int maskTimeLength,
        bool keepRawTrainingAudio, IProgress<CountProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainManifests);
        if (trainManifests.Count == 0)
            throw new ArgumentException("at least one training manifest is needed.", nameof(trainManifests));
        var options = new LabelledManifestOptions { Normalizer = normalizer };
        var parts = trainManifests.Select(path => LabelledManifest.Read(path, options)).ToList();
        var trainManifest = string.Join(" + ", trainManifests);
        var train = parts.Count == 1 ? parts[0]
            : new LabelledManifest(trainManifest, parts[0].Format, parts.SelectMany(p => p.Utterances), parts.SelectMany(p => p.BadRows));
        var dev = devManifest is null ? null : LabelledManifest.Read(devManifest, options);
        vocabulary ??= VocabularyBuilder.Build(train.Utterances.Select(u => u.Text));
        var tokenizer = new CtcTokenizer(vocabulary);
        int unknown = 0, done = 0, total = train.Utterances.Count + (dev?.Utterances.Count ?? 0);
        var tooShort = new List<string>();
        var badRows = train.BadRows.Concat(dev?.BadRows ?? []).ToList();

        List<LabelledClip> Load(LabelledManifest manifest, bool training)
        {
            var clips = new List<LabelledClip>();
            foreach (var utterance in manifest.Utterances)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new CountProgress(++done, total));
                float[] samples;
                try
                {
                    samples = AudioFile.Load(utterance.AudioPath, featureExtractor.SamplingRate);
                }
                catch (AudioDecodeException e)
                {
                    badRows.Add(new BadRow(manifest.FilePath, 0, e.Message));
                    continue;
                }
                float[]? raw = null;
                if (featureExtractor.DoNormalize)
                {
                    raw = training && keepRawTrainingAudio ? samples : null;
                    samples = WaveformNormalizer.ZeroMeanUnitVariance(samples);
                }
                var labels = tokenizer.Encode(utterance.Text, out int unknownHere);
                unknown += unknownHere;
                var clip = new LabelledClip(samples, labels, utterance.Text, utterance.AudioPath) { RawSamples = raw };
                long frames = architecture.OutputLength(samples.Length);
                if (training && (frames < clip.RequiredFrames || frames < maskTimeLength))
                {
                    tooShort.Add(utterance.AudioPath);
                    continue;
                }
                if (!training && frames < 1)
                {
                    tooShort.Add(utterance.AudioPath);
                    continue;
                }
                clips.Add(clip);
            }
            return clips;
        }

        int manifestBadRows = badRows.Count;
        var trainClips = parts.SelectMany(part => Load(part, training: true)).ToList(); // each part names its own file in bad rows
        if (trainClips.Count == 0)
        {
            var trainBad = train.BadRows.Concat(badRows.Skip(manifestBadRows)).ToList(); // the train manifest's rows, then its unreadable audio
            var first = trainBad.Count > 0 ? $"; for example {trainBad[0]}" : tooShort.Count > 0 ? $"; for example {tooShort[0]} is too short" : "";
            throw new Wav2Vec2SharpException(
                $"{trainManifest}: no usable training utterance ({Plural(trainBad.Count, "bad row")}, {tooShort.Count} too short{first}).");
        }
        var devClips = dev is null ? [] : Load(dev, training: false);
        var report = new FineTuningData(trainClips.Count, trainClips.Sum(c => c.Samples.Length) / 16000.0, devClips.Count, badRows, tooShort, unknown, vocabulary);
        return (trainClips, devClips, report);
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
