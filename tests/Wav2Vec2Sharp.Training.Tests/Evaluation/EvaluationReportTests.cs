using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Evaluation;

public sealed class EvaluationReportTests
{
    private static EvaluationReport Sample()
    {
        var report = new EvaluationReport();
        report.Add("u1", "the cat sat on the mat", "the cat sit on mat");
        report.Add("u2", "hello world", "hello big world");
        report.Add("u3", "", "noise");
        return report;
    }

    [Fact]
    public void Totals_are_summed_over_utterances()
    {
        var report = Sample();

        Assert.Equal(new ErrorCounts(6, 1, 1, 2), report.WordCounts);
        Assert.Equal(4.0 / 8, report.WordErrorRate);
        // Characters: u1 has 22, 'a'→'i' and "the " deleted; u2 has 11, "big " inserted; u3 has none, "noise" inserted.
        Assert.Equal(new ErrorCounts(28, 1, 4, 9), report.CharacterCounts);
        Assert.Equal(14.0 / 33, report.CharacterErrorRate);
        Assert.Equal(["u1", "u2", "u3"], report.Utterances.Select(u => u.Id));
        Assert.True(double.IsNaN(report.Utterances[2].WordErrorRate));
    }

    [Fact]
    public void A_normalizer_is_applied_to_both_sides()
    {
        var report = new EvaluationReport(TextNormalizer.Default);

        var result = report.Add("x", "Hello, World!", "hello world");

        Assert.Equal("HELLO WORLD", result.Reference);
        Assert.Equal(0.0, result.WordErrorRate);
    }

    [Fact]
    public void Summary_json_has_the_documented_fields()
    {
        using var dir = new TempDir();
        var report = Sample();
        var path = Path.Combine(dir.Root, "eval", "summary.json");

        report.WriteSummary(path);

        var summary = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(3, (int)summary["utterances"]!);
        Assert.Equal(0.5, (double)summary["wer"]!);
        Assert.Equal(report.CharacterErrorRate, (double)summary["cer"]!);
        Assert.Equal(1, (int)summary["substitutions"]!);
        Assert.Equal(1, (int)summary["deletions"]!);
        Assert.Equal(2, (int)summary["insertions"]!);
        Assert.Equal(8, (int)summary["reference_words"]!);
        Assert.Equal(9, (int)summary["hypothesis_words"]!);
        Assert.Equal(33, (int)summary["reference_characters"]!);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void Undefined_rates_are_written_as_null()
    {
        var report = new EvaluationReport();
        report.Add("only", "", "noise");

        var summary = JsonNode.Parse(report.SummaryJson())!.AsObject();

        Assert.Null(summary["wer"]);
        Assert.True(summary.ContainsKey("wer"));
        Assert.Null(summary["wer_interval_95"]);
        Assert.True(summary.ContainsKey("wer_interval_95"));
        Assert.Equal(1, (int)summary["insertions"]!);
    }

    [Fact]
    public void Per_utterance_tsv_has_a_header_and_one_line_per_utterance()
    {
        using var dir = new TempDir();
        var report = Sample();
        report.Add("tab\tid", "a\tb", "a b");
        var path = Path.Combine(dir.Root, "utterances.tsv");

        report.WriteUtterancesTsv(path);

        Assert.Equal(
            "id\twer\tcer\tsubstitutions\tdeletions\tinsertions\treference_words\treference\thypothesis\n" +
            "u1\t0.333333\t0.227273\t1\t1\t0\t6\tthe cat sat on the mat\tthe cat sit on mat\n" +
            "u2\t0.5\t0.363636\t0\t0\t1\t2\thello world\thello big world\n" +
            "u3\tNaN\tNaN\t0\t0\t1\t0\t\tnoise\n" +
            "tab id\t0\t0\t0\t0\t0\t2\ta b\ta b\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void Per_utterance_jsonl_holds_counts_and_the_word_alignment()
    {
        using var dir = new TempDir();
        var report = new EvaluationReport();
        report.Add("u1", "the cat sat on the mat", "the cat sit on mat");
        report.Add("u2", "", "noise");
        var path = Path.Combine(dir.Root, "utterances.jsonl");

        report.WriteUtterancesJsonl(path);

        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        var first = JsonNode.Parse(lines[0])!.AsObject();
        Assert.Equal("u1", (string)first["id"]!);
        Assert.Equal(2.0 / 6, (double)first["wer"]!);
        Assert.Equal(1, (int)first["substitutions"]!);
        Assert.Equal(1, (int)first["deletions"]!);
        Assert.Equal(6, (int)first["reference_words"]!);
        var steps = first["alignment"]!.AsArray();
        Assert.Equal("CCSCDC", string.Concat(steps.Select(s => (string)s!["op"]!)));
        Assert.Equal("sit", (string)steps[2]!["hyp"]!);
        Assert.Null(steps[4]!["hyp"]);
        Assert.Null(JsonNode.Parse(lines[1])!["wer"]);
    }

    [Fact]
    public void Adding_from_several_threads_loses_nothing()
    {
        var report = new EvaluationReport();

        Parallel.For(0, 200, i => report.Add(i.ToString(), "a b c", i % 2 == 0 ? "a b c" : "a x c"));

        Assert.Equal(200, report.Utterances.Count);
        Assert.Equal(new ErrorCounts(500, 100, 0, 0), report.WordCounts);
    }
}
