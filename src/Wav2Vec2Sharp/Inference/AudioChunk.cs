namespace Wav2Vec2Sharp.Inference;

/// <summary>One window of a chunked clip and the output frames it contributes.</summary>
/// <param name="StartSample">First input sample of the window (a multiple of the frame hop).</param>
/// <param name="InputSamples">Samples the model reads (context included; clipped at the end of the clip).</param>
/// <param name="FirstFrame">Frame of the whole clip that the window's frame 0 is (<c>StartSample / hop</c>).</param>
/// <param name="KeepFrom">First window frame kept (frames before it are left context).</param>
/// <param name="KeepTo">Window frame after the last one kept (frames from it on are right context).</param>
public readonly record struct AudioChunk(long StartSample, int InputSamples, long FirstFrame, int KeepFrom, int KeepTo)
{
    /// <summary>Frames this window contributes to the stitched logits.</summary>
    public int KeptFrames => KeepTo - KeepFrom;
}
