using System.Text.Json;
using NativeGrad.Backends;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Datasets;

/// <summary>
/// tests/data/data-extra.json, made by tests/data/data-extra.py from PyTorch 1.13: randperm,
/// DataLoader, random_split and the digits split. Helpers shared by the tests that read it.
/// </summary>
internal static class DataExtraCases
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(RepoPaths.TestData("data-extra.json"))).RootElement);

    public static JsonElement Section(string name) => Root.Value.GetProperty(name);

    public static JsonElement Case(string section, string id) =>
        Section(section).EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    public static TheoryData<string, BackendKind> Ids(string section)
    {
        var data = new TheoryData<string, BackendKind>();
        foreach (var c in Section(section).EnumerateArray())
            foreach (var kind in Enum.GetValues<BackendKind>())
                data.Add(c.GetProperty("id").GetString()!, kind);
        return data;
    }

    public static long[] Longs(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt64()).ToArray();

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    /// <summary>Bit-exact: a random stream either matches PyTorch's or it does not.</summary>
    public static void AssertSameBits(float[] expected, float[] actual, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{where}, element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    /// <summary>Runs <paramref name="action"/> on <paramref name="backend"/> while no other test uses the default generator.</summary>
    public static void OnDefaultGenerator(BackendKind backend, Action action)
    {
        lock (SharedLocks.DefaultGenerator)
            using (Backend.Use(backend))
                action();
    }
}
