using NativeGrad.Backends;

namespace NativeGrad.Tests.Ops;

// add_/sub_ with alpha (the SGD update) write in place without a temporary; the values are
// torch 1.13's, which rounds p + alpha * d once. The elements were picked where two roundings differ.
public class AddAlphaInPlaceTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    private static readonly float[] P = [0.03159274160861969f, 0.441156268119812f, 0.1163986474275589f, 0.13067744672298431f, -1.1559407711029053f, 0.060491468757390976f];
    private static readonly float[] D = [-0.5086193084716797f, 0.8648261427879333f, -2.135056972503662f, 2.5743727684020996f, -2.404278516769409f, 0.7932366728782654f];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Add_with_alpha_matches_torch_bit_for_bit(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var p = Tensor.From(P);
        Assert.Same(p, p.Add_(Tensor.From(D), -0.01));
        Assert.Equal([0.03667893633246422f, 0.43250802159309387f, 0.13774921000003815f, 0.1049337163567543f, -1.131898045539856f, 0.052559103816747665f], p.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Sub_with_alpha_matches_torch_bit_for_bit(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var p = Tensor.From(P);
        p.Sub_(Tensor.From(D), 0.5);
        Assert.Equal([0.28590238094329834f, 0.008743196725845337f, 1.1839271783828735f, -1.1565089225769043f, 0.046198487281799316f, -0.3361268639564514f], p.ToArray());
    }
}
