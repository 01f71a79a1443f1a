namespace Wav2Vec2Sharp.Tests.Support;

/// <summary>Committed copies of the team's reference material (real Hugging Face config.json files).</summary>
internal static class SharedReference
{
    public static string Directory => Fixtures.Path("reference");
}
