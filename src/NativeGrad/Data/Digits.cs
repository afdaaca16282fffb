using System.Globalization;
using System.IO.Compression;

namespace NativeGrad;

public static partial class Data
{
    /// <summary>
    /// The UCI handwritten digits (8 x 8 images, pixels 0..16, labels 0..9; scikit-learn's
    /// <c>load_digits</c>), as the project ships them in <c>digits.csv.gz</c>: one row per image,
    /// 64 pixel values then the label.
    /// </summary>
    public static class Digits
    {
        /// <summary>Rows in digits.csv.gz.</summary>
        public const int SampleCount = 1797;

        /// <summary>Rows of the training part of <see cref="Split"/>; the other 360 are the test part.</summary>
        public const int TrainCount = 1437;

        /// <summary>Pixels per image (8 x 8).</summary>
        public const int PixelCount = 64;

        private const int MaxPixel = 16;
        private const int ClassCount = 10;

        /// <summary>
        /// Reads a digits file (gzip-compressed or plain CSV): the images as float32 [rows, 64]
        /// holding pixel / 16, and the labels as int64 [rows].
        /// </summary>
        /// <param name="path">The file, for example the example app's <c>data/digits.csv.gz</c>.</param>
        /// <returns>The images and the labels, row i of each belonging together.</returns>
        /// <exception cref="InvalidDataException">A row is not 65 integers, a pixel is outside 0..16, a label outside 0..9, or there are no rows.</exception>
        public static (Tensor Images, Tensor Labels) Load(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            using var file = File.OpenRead(path);
            return Load(file, path);
        }

        /// <summary>Reads a digits file from <paramref name="stream"/>; see <see cref="Load(string)"/>.</summary>
        /// <param name="stream">The file's bytes, gzip-compressed or plain; read to its end, not disposed.</param>
        /// <param name="name">What to call the data in error messages.</param>
        /// <returns>The images and the labels.</returns>
        public static (Tensor Images, Tensor Labels) Load(Stream stream, string name = "digits data")
        {
            ArgumentNullException.ThrowIfNull(stream);
            // The file is small (57 KB compressed), and holding it whole lets the gzip check look at its first bytes.
            var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            bytes.Position = 0;
            bool gzip = bytes.Length >= 2 && bytes.GetBuffer()[0] == 0x1f && bytes.GetBuffer()[1] == 0x8b;
            Stream body = gzip ? new GZipStream(bytes, CompressionMode.Decompress) : bytes;

            var pixels = new List<float>(SampleCount * PixelCount);
            var labels = new List<long>(SampleCount);
            using (var reader = new StreamReader(body))
            {
                int lineNumber = 0;
                try
                {
                    for (string? line; (line = reader.ReadLine()) is not null;)
                    {
                        lineNumber++;
                        if (line.Length > 0)
                            ParseRow(line, pixels, labels, name, lineNumber);
                    }
                }
                catch (InvalidDataException e) when (!e.Message.StartsWith(name, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{name}: not a readable gzip file ({e.Message})", e);
                }
            }
            if (labels.Count == 0)
                throw new InvalidDataException($"{name}: no rows; expected {SampleCount} rows of {PixelCount} pixels and a label");
            return (Tensor.FromSpan<float>(pixels.ToArray(), [labels.Count, PixelCount]), Tensor.FromSpan<long>(labels.ToArray(), [labels.Count]));
        }

        /// <summary>
        /// The project's train/test split (nn.json <c>training</c>): the rows in the order of
        /// <c>torch.randperm(1797, generator=torch.Generator().manual_seed(seed))</c>, the first 1437
        /// for training and the other 360 for testing. The same as
        /// <see cref="RandomSplit(IDataset, IReadOnlyList{long}, Generator?)"/> with lengths [1437, 360].
        /// </summary>
        /// <param name="images">The images from <see cref="Load(string)"/>, 1797 rows.</param>
        /// <param name="labels">The labels from <see cref="Load(string)"/>, 1797 rows.</param>
        /// <param name="seed">The split generator's seed (nn.json's <c>split_generator_seed</c>, 0).</param>
        /// <returns>The training and test rows, copied.</returns>
        /// <exception cref="ArgumentException">The tensors do not have 1797 rows.</exception>
        public static (Tensor TrainImages, Tensor TrainLabels, Tensor TestImages, Tensor TestLabels) Split(Tensor images, Tensor labels, ulong seed = 0)
        {
            ArgumentNullException.ThrowIfNull(images);
            ArgumentNullException.ThrowIfNull(labels);
            if (images.Dim == 0 || images.Size(0) != SampleCount || labels.Dim == 0 || labels.Size(0) != SampleCount)
                throw new ArgumentException(
                    $"the digits split needs the {SampleCount} rows of digits.csv.gz, but got images of shape [{string.Join(", ", images.Shape)}] and labels of shape [{string.Join(", ", labels.Shape)}]");
            var order = Tensor.Randperm(SampleCount, new Generator(seed));
            var train = order.Slice(0, 0, TrainCount);
            var test = order.Slice(0, TrainCount, SampleCount);
            return (images.IndexSelect(0, train), labels.IndexSelect(0, train), images.IndexSelect(0, test), labels.IndexSelect(0, test));
        }

        private static void ParseRow(string line, List<float> pixels, List<long> labels, string name, int lineNumber)
        {
            var fields = line.Split(',');
            if (fields.Length != PixelCount + 1)
                throw new InvalidDataException($"{name}, line {lineNumber}: expected {PixelCount + 1} comma-separated integers (64 pixels, then the label), got {fields.Length} fields");
            for (int i = 0; i <= PixelCount; i++)
            {
                int limit = i < PixelCount ? MaxPixel : ClassCount - 1;
                if (!int.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > limit)
                    throw new InvalidDataException(
                        $"{name}, line {lineNumber}, field {i + 1}: expected {(i < PixelCount ? "a pixel value 0..16" : "a label 0..9")}, got '{fields[i]}'");
                if (i < PixelCount)
                    pixels.Add(value / (float)MaxPixel);
                else
                    labels.Add(value);
            }
        }
    }
}
