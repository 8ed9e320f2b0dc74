using Models.Mnist.Data;
using ModelDsl.Tests.Support;
using Xunit;

namespace ModelDsl.Tests.Data;

public sealed class IdxReadingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_gzip_and_raw_files_alike(bool gzip)
    {
        var (images, labels) = IdxFiles.WritePair(_folder, count: 7, gzip);

        var set = MnistSet.Read(images, labels);

        Assert.Equal(7, set.Count);
        Assert.Equal(7 * IdxFiles.ImageBytes, set.Pixels.Length);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], set.Labels.ToArray());
        Assert.All(set.Pixels.Slice(3 * IdxFiles.ImageBytes, IdxFiles.ImageBytes).ToArray(), pixel => Assert.Equal(30, pixel));
    }

    [Fact]
    public void Recognises_gzip_by_content_not_by_name()
    {
        var images = _folder.File("images.idx");
        var labels = _folder.File("labels.gz");
        File.WriteAllBytes(images, IdxFiles.Gzip(IdxFiles.Images(2)));
        File.WriteAllBytes(labels, IdxFiles.Labels(2));

        Assert.Equal(2, MnistSet.Read(images, labels).Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_limit_reads_only_the_first_items(bool gzip)
    {
        var (images, labels) = IdxFiles.WritePair(_folder, count: 9, gzip);

        var set = MnistSet.Read(images, labels, limit: 4);

        Assert.Equal(4, set.Count);
        Assert.Equal([0, 1, 2, 3], set.Labels.ToArray());
        Assert.Equal(4 * IdxFiles.ImageBytes, set.Pixels.Length);
        Assert.Equal(9, MnistSet.Read(images, labels, limit: 100).Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_limit_keeps_the_first_items_but_reads_on_so_a_truncated_file_is_still_noticed(bool gzip)
    {
        // The header declares 9 images but only 3 are there: the file is read to the end to fingerprint it.
        var truncated = IdxFiles.Images(9)[..(16 + 3 * IdxFiles.ImageBytes)];
        var images = _folder.File("images");
        var labels = _folder.File("labels");
        File.WriteAllBytes(images, gzip ? IdxFiles.Gzip(truncated) : truncated);
        File.WriteAllBytes(labels, IdxFiles.Labels(9));

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, labels, limit: 3));

        Assert.Equal($"images: expected {9 * IdxFiles.ImageBytes} bytes of pixels after the header, found {3 * IdxFiles.ImageBytes} (file truncated?)", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_truncated_file_says_how_many_bytes_are_missing(bool gzip)
    {
        var truncated = IdxFiles.Images(10)[..(16 + 1234)];
        var images = _folder.File("t10k-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(images, gzip ? IdxFiles.Gzip(truncated) : truncated);
        var labels = _folder.File("labels");
        File.WriteAllBytes(labels, IdxFiles.Labels(10));

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, labels));

        Assert.Equal($"{Path.GetFileName(images)}: expected 7840 bytes of pixels after the header, found 1234 (file truncated?)", error.Message);
        Assert.Equal(images, error.FilePath);
    }

    [Fact]
    public void A_gzip_file_cut_short_is_reported()
    {
        var (images, labels) = IdxFiles.WritePair(_folder, count: 50, gzip: true);
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, labels));

        Assert.StartsWith("t10k-images-idx3-ubyte.gz: ", error.Message);
    }

    [Fact]
    public void A_header_cut_short_is_reported()
    {
        var images = _folder.File("images");
        File.WriteAllBytes(images, IdxFiles.Images(1)[..10]);

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, images));

        Assert.Contains("ends after 10 bytes, inside the 16-byte IDX images header", error.Message);
    }

    [Fact]
    public void A_foreign_file_is_rejected_by_its_magic_number()
    {
        var images = _folder.File("train-images-idx3-ubyte");
        File.WriteAllBytes(images, [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13, 1, 2, 3, 4, 5, 6]);
        var labels = _folder.File("labels");
        File.WriteAllBytes(labels, IdxFiles.Labels(1));

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, labels));

        Assert.Equal("train-images-idx3-ubyte: not an MNIST IDX images file: the magic number is 0x89504E47, expected 0x00000803", error.Message);
    }

    [Fact]
    public void Swapped_files_are_named_as_such()
    {
        var (images, labels) = IdxFiles.WritePair(_folder, count: 2, gzip: false);

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(labels, images));

        Assert.Contains("this is an IDX labels file (magic 0x00000801) where images (0x00000803) were expected; are the files swapped?", error.Message);
    }

    [Fact]
    public void Images_of_another_size_are_rejected()
    {
        var images = _folder.File("images");
        File.WriteAllBytes(images, IdxFiles.Images(1, new byte[32 * 32], rows: 32, columns: 32));

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, images));

        Assert.Contains("the images are 32×32 pixels, expected 28×28", error.Message);
    }

    [Fact]
    public void Corrupt_gzip_data_is_reported()
    {
        var (images, labels) = IdxFiles.WritePair(_folder, count: 20, gzip: true);
        var bytes = File.ReadAllBytes(images);
        for (var i = 20; i < 60; i++)
        {
            bytes[i] ^= 0x5A;
        }
        File.WriteAllBytes(images, bytes);

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, labels));

        Assert.Contains("gzip data is corrupt", error.Message);
    }

    [Fact]
    public void A_wrong_gzip_checksum_is_caught_when_reading_to_the_end()
    {
        var (images, labels) = IdxFiles.WritePair(_folder, count: 3, gzip: true);
        var bytes = File.ReadAllBytes(images);
        bytes[^8] ^= 0xFF; // The CRC-32 in the gzip trailer.
        File.WriteAllBytes(images, bytes);

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, labels));

        Assert.Contains("gzip data is corrupt", error.Message);
    }

    [Fact]
    public void Bytes_after_the_declared_data_are_rejected()
    {
        var images = _folder.File("images");
        File.WriteAllBytes(images, [.. IdxFiles.Images(2), 1, 2, 3]);
        var labels = _folder.File("labels");
        File.WriteAllBytes(labels, IdxFiles.Labels(2));

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, labels));

        Assert.Contains("3 unexpected bytes follow the 1568 bytes of pixels", error.Message);
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        var images = _folder.File("t10k-images-idx3-ubyte");
        var labels = _folder.File("t10k-labels-idx1-ubyte");
        File.WriteAllBytes(images, IdxFiles.Images(3));
        File.WriteAllBytes(labels, IdxFiles.Labels(4));

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, labels, limit: 2));

        Assert.Equal("t10k-labels-idx1-ubyte: holds 4 labels but t10k-images-idx3-ubyte holds 3 images; the files do not belong together", error.Message);
    }

    [Fact]
    public void Labels_must_be_digits()
    {
        var images = _folder.File("images");
        var labels = _folder.File("labels");
        File.WriteAllBytes(images, IdxFiles.Images(3));
        File.WriteAllBytes(labels, IdxFiles.Labels(3, [4, 12, 0]));

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, labels));

        Assert.Equal("labels: label 12 at index 1 is outside 0..9", error.Message);
    }

    [Fact]
    public void An_implausible_count_fails_before_allocating()
    {
        var images = _folder.File("images");
        var header = IdxFiles.Images(0);
        header[4] = 0x7F; // Declares about two billion images.
        File.WriteAllBytes(images, header);

        var error = Assert.Throws<MnistFormatException>(() => MnistSet.Read(images, images));

        Assert.Contains("the header declares", error.Message);
    }
}
