using Microsoft.AspNetCore.Builder;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Wav2Vec2Sharp.Cli.Serve;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Tests.Cli;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Serve;

/// <summary>
/// The page of <c>w2v serve</c> in a real browser: Debian's headless Chromium driven by Selenium (installed by
/// <c>.ci/run</c>) uploads a WAV and reads the transcript from the DOM. Set W2V_SCREENSHOTS to a folder to keep a
/// screenshot of each state.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ServePageBrowserTests : IAsyncLifetime, IDisposable
{
    private readonly CliModelFixture _fixture = new();
    private Transcriber? _transcriber;
    private WebApplication? _app;
    private ChromeDriver? _browser;

    public async Task InitializeAsync()
    {
        _transcriber = Transcriber.Load(_fixture.Model);
        _app = TranscriptionServer.Build(new ServerSettings(_transcriber, "tiny", null, 5_000_000, 4), "http://127.0.0.1:0");
        await _app.StartAsync();
        if (!File.Exists("/usr/bin/chromium") || !File.Exists("/usr/bin/chromedriver"))
            throw new InvalidOperationException("Debian's chromium and chromium-driver are needed (apt-get install chromium chromium-driver; .ci/run does it as root)");
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        // the fake microphone plays a 16 kHz WAV of the fixture clip, repeated to 4 s, in a loop
        var microphone = _fixture.Wav("microphone.wav", Enumerable.Repeat(_fixture.Samples, 1 + 64000 / _fixture.Samples.Length).SelectMany(x => x).ToArray());
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=900,640", $"--user-data-dir={Path.Combine(_fixture.Temp.Root, "chromium")}",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", $"--use-file-for-fake-audio-capture={ToPcm16(microphone)}",
            "--autoplay-policy=no-user-gesture-required");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        _browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        _browser?.Quit();
        if (_app is not null)
            await _app.DisposeAsync();
    }

    public void Dispose()
    {
        _browser?.Dispose();
        _transcriber?.Dispose();
        _fixture.Dispose();
    }

    private void Upload(string path)
    {
        _browser!.Navigate().GoToUrl(_app!.Urls.Single() + "/");
        _browser.FindElement(By.Id("file")).SendKeys(path);
        _browser.FindElement(By.Id("go")).Click();
    }

    private string WaitFor(Func<string?> read)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (read() is { Length: > 0 } value)
                return value;
            Thread.Sleep(100);
        }
        throw new TimeoutException("the page did not show the answer within 60 s: " + _browser!.FindElement(By.Id("status")).Text);
    }

    private void Screenshot(string name)
    {
        if (Environment.GetEnvironmentVariable("W2V_SCREENSHOTS") is { Length: > 0 } folder)
            _browser!.GetScreenshot().SaveAsFile(Path.Combine(folder, name));
    }

    [Fact]
    public void An_uploaded_wav_shows_the_cli_transcript_word_by_word_with_times()
    {
        var wav = _fixture.Wav("talk.wav");
        var (_, cliText, _) = CliRunner.Run("transcribe", "--model", _fixture.Model, wav);

        Upload(wav);
        var words = WaitFor(() => string.Join(" ", _browser!.FindElements(By.CssSelector("#transcript .word")).Select(w => w.Text)));
        var firstTitle = _browser!.FindElements(By.CssSelector("#transcript .word"))[0].GetAttribute("title");
        Screenshot("serve-page-transcript.png");

        Assert.Equal(cliText.Trim(), words);
        Assert.Matches(@"^\d+\.\d\d–\d+\.\d\d s, confidence \d+ %$", firstTitle);
        Assert.Contains("talk.wav: ", _browser.FindElement(By.Id("status")).Text);
        Assert.True(_browser.FindElement(By.Id("downloads")).Displayed);
    }

    // Chromium's fake capture wants 16-bit PCM WAV: rewrite the fixture's float WAV.
    private string ToPcm16(string floatWav)
    {
        var samples = Wav2Vec2Sharp.Audio.AudioFile.Load(floatWav);
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), (short)Math.Clamp(Math.Round(samples[i] * 32767), -32768, 32767));
        var path = Path.ChangeExtension(floatWav, ".pcm16.wav");
        File.WriteAllBytes(path, new Wav2Vec2Sharp.Tests.Audio.WavBuilder { Data = bytes }.ToBytes());
        return path;
    }

    [Fact]
    public void Recording_from_the_microphone_shows_partial_transcripts_then_the_final_words()
    {
        _browser!.Navigate().GoToUrl(_app!.Urls.Single() + "/");
        _browser.FindElement(By.Id("record")).Click();
        var partial = WaitFor(() => _browser.FindElement(By.Id("status")).Text.StartsWith("Listening… ", StringComparison.Ordinal)
            ? _browser.FindElement(By.Id("transcript")).Text : null);
        Screenshot("serve-page-recording.png");
        Thread.Sleep(1500);
        _browser.FindElement(By.Id("record")).Click();
        var words = WaitFor(() => string.Join(" ", _browser.FindElements(By.CssSelector("#transcript .word")).Select(w => w.Text)));
        var status = _browser.FindElement(By.Id("status")).Text;

        Assert.False(string.IsNullOrWhiteSpace(partial));
        Assert.False(string.IsNullOrWhiteSpace(words));
        Assert.Matches(@"^recording\.wav: \d+\.\d s of audio\.$", status);
        Assert.True(_browser.FindElement(By.Id("downloads")).Displayed);
    }

    [Fact]
    public void A_corrupt_file_shows_the_servers_message()
    {
        var corrupt = Path.Combine(_fixture.Temp.Root, "broken.wav");
        File.WriteAllText(corrupt, "RIFF junk\n");

        Upload(corrupt);
        var status = WaitFor(() => _browser!.FindElement(By.Id("status")) is var s && s.GetAttribute("class") == "error" ? s.Text : null);
        Screenshot("serve-page-error.png");

        Assert.Equal("broken.wav: truncated RIFF header (expected 12 bytes, found 10).", status);
    }
}
