namespace Wav2Vec2Sharp.Audio;

/// <summary>What a format decoder hands back: mono samples, the sample rate and the original channel count.</summary>
internal readonly record struct DecodedAudio(float[] Samples, int SampleRate, int Channels);
