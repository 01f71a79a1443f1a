using System.Text.Json;
using System.Text.Json.Serialization;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Randomness;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// What both trainers share to augment training utterances on the fly: the seed of each (utterance, epoch) and the
/// babble pool. The seed is keyed by the run's seed, the epoch and the utterance's index in the training manifest, never
/// by the rank, the batch or its position, so a resumed run, or a run on another number of ranks, augments every
/// utterance of every epoch identically.
/// </summary>
internal static class TrainingAugmentation
{
    /// <summary>Training audio is augmented at 16 kHz.</summary>
    public const int SampleRate = 16000;

    /// <summary>Utterances in the babble pool.</summary>
    public const int BabbleClips = 16;

    /// <summary>Each babble clip is cut to its first 20 s (a pool of long recordings would otherwise hold hours of audio).</summary>
    public const int BabbleMaxSamples = 20 * SampleRate;

    private const long AugmentStream = 0x6175676D656E74; // "augment"
    private const long BabbleStream = 0x626162626C65;    // "babble"

    /// <summary>The seed of the augmentation of training utterance <paramref name="utterance"/> in <paramref name="epoch"/>.</summary>
    public static ulong Seed(int seed, int epoch, int utterance) => SplitMix64.FromKeys(seed, AugmentStream, epoch, utterance).NextUInt64();

    /// <summary>
    /// The training utterances whose audio makes the babble pool: <see cref="BabbleClips"/> of the <paramref name="count"/>
    /// utterances (all of them when there are fewer), drawn once per run from <paramref name="seed"/>, in manifest order.
    /// </summary>
    public static int[] BabbleIndices(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        SplitMix64.FromKeys(seed, BabbleStream).Shuffle(order.AsSpan());
        var chosen = order[..Math.Min(BabbleClips, count)];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>Whether <paramref name="recipe"/> mixes in babble (so that a pool is worth reading).</summary>
    public static bool UsesBabble(AugmentationRecipe recipe) => recipe.Effects.Contains("babble");

    /// <summary>The pool clip of an utterance: its audio, cut to <see cref="BabbleMaxSamples"/>.</summary>
    public static float[] BabbleClip(float[] samples) => samples.Length <= BabbleMaxSamples ? samples : samples[..BabbleMaxSamples];
}

/// <summary>An <see cref="AugmentationRecipe"/> in a run's options file: its description, read back by its effect names.</summary>
internal sealed class AugmentationRecipeJsonConverter : JsonConverter<AugmentationRecipe>
{
    /// <inheritdoc/>
    public override AugmentationRecipe Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? "none";
        try
        {
            return AugmentationRecipe.Parse(text.Split('(', 2)[0].Trim());
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, AugmentationRecipe value, JsonSerializerOptions options) => writer.WriteStringValue(value.Describe());
}
