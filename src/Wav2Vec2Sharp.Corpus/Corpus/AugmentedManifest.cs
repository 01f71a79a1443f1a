using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>What <see cref="ManifestAugmenter.Write"/> wrote.</summary>
/// <param name="ManifestPath">The JSON-lines manifest, absolute.</param>
/// <param name="Clips">Its rows (copies, and the originals when they were included).</param>
/// <param name="Duration">Their total length.</param>
/// <param name="LeftOut">The source rows that could not be used (missing audio, empty text), as the reader reported them.</param>
public sealed record AugmentedManifest(string ManifestPath, int Clips, TimeSpan Duration, IReadOnlyList<BadRow> LeftOut);
