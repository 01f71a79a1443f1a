using System.Text;
using Wav2Vec2Sharp.Plotting;

namespace Wav2Vec2Sharp.Tests.Plotting;

public sealed class PngEncoderTests
{
    [Fact]
    public void Encode_RoundTripsEveryPixel()
    {
        var canvas = new Canvas(13, 7);
        var random = new Random(1);
        for (var y = 0; y < canvas.Height; y++)
        {
            for (var x = 0; x < canvas.Width; x++)
                canvas.SetPixel(x, y, new Rgb((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
        }

        var png = PngTestReader.Decode(canvas);

        Assert.Equal(13, png.Width);
        Assert.Equal(7, png.Height);
        for (var y = 0; y < canvas.Height; y++)
        {
            for (var x = 0; x < canvas.Width; x++)
                Assert.Equal(canvas.GetPixel(x, y), png[x, y]);
        }
    }

    [Fact]
    public void Encode_WritesHeaderDataAndEndChunksOnly()
    {
        var chunks = PngTestReader.ReadChunks(PngEncoder.Encode(new Canvas(300, 200)));

        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
    }

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue()
    {
        var check = Encoding.ASCII.GetBytes("123456789");

        Assert.Equal(0xCBF43926u, Crc32.Compute(check));
        Assert.Equal(0xCBF43926u, PngTestReader.Crc(check));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Save_WritesADecodableFileAndLeavesNoTemporaryFiles()
    {
        var directory = Path.Combine(Path.GetTempPath(), "w2v-png-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(directory, "nested", "image.png");
            var canvas = new Canvas(20, 10, new Rgb(10, 20, 30));

            PngEncoder.Save(path, canvas);
            PngEncoder.Save(path, canvas); // overwrite in place

            var png = PngTestReader.Decode(File.ReadAllBytes(path));
            Assert.Equal((20, 10), (png.Width, png.Height));
            Assert.Equal(new Rgb(10, 20, 30), png[19, 9]);
            Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }
}
