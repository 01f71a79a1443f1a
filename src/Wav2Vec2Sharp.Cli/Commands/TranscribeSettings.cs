using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Output;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>Everything <c>w2v transcribe</c> needs, as parsed from the command line.</summary>
/// <param name="ModelDirectory">HF model directory.</param>
/// <param name="Inputs">Files and folders.</param>
/// <param name="Format">text, json, srt or vtt.</param>
public sealed record TranscribeSettings(string ModelDirectory, IReadOnlyList<string> Inputs, string Format = "text")
{
    /// <summary>Folder for per-file outputs; <c>null</c> writes them next to each input.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Where frame logits go (<c>.npy</c> file or folder), if anywhere.</summary>
    public string? LogitsOut { get; init; }

    /// <summary>CPU threads for the model (0 = the engine's default).</summary>
    public int Threads { get; init; }

    /// <summary>The engine that runs the model: auto, torch or onnx (see <see cref="ModelEngines"/>).</summary>
    public string Engine { get; init; } = ModelEngines.Auto;

    /// <summary>Whether JSON output lists character times.</summary>
    public bool IncludeCharacters { get; init; }

    /// <summary>Whether to draw a progress bar and print throughput on stderr; <c>null</c> = when stderr is a terminal.</summary>
    public bool? Progress { get; init; }

    /// <summary>Long-clip windows.</summary>
    public ChunkingOptions Chunking { get; init; } = ChunkingOptions.Default;

    /// <summary>Subtitle cue grouping.</summary>
    public SubtitleOptions Subtitles { get; init; } = new();

    /// <summary>Builds the decoder from the model's vocabulary; greedy decoding when <c>null</c>. This is the hook for
    /// beam search with a language model.</summary>
    public Func<Vocabulary, ICtcDecoder>? DecoderFactory { get; init; }

    /// <summary>Clips transcribed together in one Transformer batch (length-sorted; 1 = one at a time).</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Hypotheses listed per file in JSON output (<c>nbest</c>, best first); 1 lists none besides the transcript.</summary>
    public int NBest { get; init; } = 1;
}
