namespace NativeGrad.Examples;

/// <summary>
/// The digits data set shipped beside the example (the project copies digits.csv.gz into its
/// output and publish folders), found from the executable's folder so any working folder works.
/// </summary>
public static class DigitsFile
{
    /// <summary>The full path of data/digits.csv.gz next to the running program.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    /// <summary>The 1797 images (float32 [1797, 64], pixels / 16) and labels (int64 [1797]).</summary>
    /// <returns>The images and the labels.</returns>
    public static (Tensor Images, Tensor Labels) Load() => Data.Digits.Load(Path);
}
