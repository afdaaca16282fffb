using NativeGrad.Nn;

namespace NativeGrad.Examples;

/// <summary>The two digits classifiers, layer for layer as in PyTorch (nn.json `training`), so their state-dict keys match.</summary>
public static class DigitsModels
{
    /// <summary>Linear(64, 128), ReLU, Linear(128, 10).</summary>
    public static Sequential Mlp() => new(new Linear(64, 128), new ReLU(), new Linear(128, 10));

    /// <summary>Two 3x3 convolutions with ReLU and 2x2 max pooling over the 8x8 image, then Linear(128, 10).</summary>
    public static Sequential Cnn() => new(
        new Unflatten(1, 1, 8, 8),
        new Conv2d(1, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 3, padding: 1), new ReLU(), new MaxPool2d(2),
        new Flatten(),
        new Linear(128, 10));

    /// <summary>The model named <paramref name="name"/> ("cnn" or "mlp").</summary>
    public static Sequential Create(string name) => name switch
    {
        "cnn" => Cnn(),
        "mlp" => Mlp(),
        _ => throw new ArgumentException($"unknown model '{name}'; expected 'cnn' or 'mlp'", nameof(name)),
    };
}
