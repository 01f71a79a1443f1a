using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Wav2Vec2Sharp.Cli.Commands;

namespace Wav2Vec2Sharp.Cli.Serve;

/// <summary><c>w2v serve --model DIR</c>: a transcription server (OpenAI-style API and a browser page) on loopback by default.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Fine-tuned CTC model directory", Required = true };
        var urls = new Option<string>("--urls") { Description = "Where to listen (loopback unless told otherwise)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var apiKey = new Option<string?>("--api-key") { Description = "Require Authorization: Bearer KEY on /v1 requests" };
        var maxUpload = new Option<int>("--max-upload-mb") { Description = "Largest upload accepted (413 above)", DefaultValueFactory = _ => 100 };
        var maxQueue = new Option<int>("--max-queue") { Description = "Requests that may wait for the model (503 beyond)", DefaultValueFactory = _ => 64 };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Transcribe up to this many waiting requests together (padded batches; each transcript equals the request's own). Pays on CPU for short clips of similar length",
            DefaultValueFactory = _ => ServerSettings.DefaultBatchSize,
        };
        var threads = new Option<int>("--threads") { Description = ModelEngines.ThreadsDescription, DefaultValueFactory = _ => 0 };
        var engine = ModelEngines.CreateOption();
        var command = new Command("serve", "Serve transcription over HTTP: POST /v1/audio/transcriptions (OpenAI-compatible), /v1/models, /health, /metrics and a page at /.")
        {
            model, engine, urls, apiKey, maxUpload, maxQueue, batchSize, threads,
        };
        var decoding = new DecoderOptions();
        decoding.AddTo(command);
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            if (parse.GetValue(maxUpload) < 1 || parse.GetValue(maxQueue) < 0)
                throw new ArgumentException($"--max-upload-mb must be at least 1 and --max-queue at least 0, not {parse.GetValue(maxUpload)} and {parse.GetValue(maxQueue)}.");
            if (parse.GetValue(batchSize) < 1)
                throw new ArgumentException($"--batch-size must be at least 1, not {parse.GetValue(batchSize)}.");
            ListenAddresses.Check(parse.GetValue(urls)!);
            var directory = parse.GetValue(model)!;
            using var transcriber = ModelEngines.Load(directory.FullName, parse.GetValue(engine)!, parse.GetValue(threads),
                decoding.WantsBeamSearch(parse) ? vocabulary => decoding.Create(parse, vocabulary) : null);
            var settings = new ServerSettings(transcriber, directory.Name, parse.GetValue(apiKey), parse.GetValue(maxUpload) * 1_000_000L, parse.GetValue(maxQueue))
            {
                BatchSize = parse.GetValue(batchSize),
            };
            using var app = TranscriptionServer.Build(settings, parse.GetValue(urls)!);
            app.Start(); // listening before the line below says so; an address in use is an IOException: one error line
            output.WriteLine($"serving {directory.Name} ({ModelEngines.NameOf(transcriber.AcousticModel)}) at {string.Join(", ", app.Urls)} ({(settings.BatchSize == 1 ? "one request at a time" : $"up to {settings.BatchSize} waiting requests together")}; Ctrl+C stops after the requests in flight)");
            output.Flush();
            app.WaitForShutdown();
            return CliApp.Success;
        }));
        return command;
    }
}
