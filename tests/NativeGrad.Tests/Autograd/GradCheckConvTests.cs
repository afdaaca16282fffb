using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// GradCheck over convolution and the pools, first order and (with createGraph) second order, at
/// random geometries: stride, padding ("same" too), dilation, groups, no bias, ceil mode, padding
/// counted or not, 3-D inputs; see <see cref="GradCheckTestBase"/>.
/// </summary>
public class GradCheckConvTests : GradCheckTestBase
{
    public static TheoryData<BackendKind, string> WindowOps => Names(WindowCases);

    [Theory]
    [MemberData(nameof(WindowOps))]
    public void WindowGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, WindowCases[op]);

    private static readonly Gen<int> Small = Gen.Int[1, 2];

    /// <summary>A plane size that, padded, holds a window spanning <paramref name="span"/>.</summary>
    private static Gen<int> PlaneSize(int span, int pad) => Gen.Int[Math.Max(1, span - 2 * pad), Math.Max(1, span - 2 * pad) + 3];

    private static readonly Gen<Case> Conv =
        from n in Small
        from groups in Gen.Int[1, 2]
        from inPerGroup in Small
        from outPerGroup in Small
        from kh in Gen.Int[1, 3]
        from kw in Gen.Int[1, 3]
        from sh in Small
        from sw in Small
        from ph in Gen.Int[0, 2]
        from pw in Gen.Int[0, 1]
        from dh in Small
        from dw in Small
        from h in PlaneSize(dh * (kh - 1) + 1, ph)
        from w in PlaneSize(dw * (kw - 1) + 1, pw)
        from withBias in Gen.Bool
        from unbatched in Gen.Bool
        let inputShape = unbatched ? new long[] { groups * inPerGroup, h, w } : [n, groups * inPerGroup, h, w]
        from input in Leaf(inputShape, Anywhere)
        from weight in Leaf([groups * outPerGroup, inPerGroup, kh, kw], Anywhere)
        from bias in Leaf([groups * outPerGroup], Anywhere)
        select new Case(withBias ? [input, weight, bias] : [input, weight],
            t => Functional.Conv2d(t[0], t[1], withBias ? t[2] : null, (sh, sw), (ph, pw), (dh, dw), groups),
            $"stride ({sh}, {sw}) padding ({ph}, {pw}) dilation ({dh}, {dw}) groups {groups} bias {withBias}");

    private static readonly Gen<Case> ConvSame =
        from channels in Small
        from k in Gen.Int[1, 4]
        from d in Small
        from h in Gen.Int[1, 4]
        from w in Gen.Int[1, 4]
        from input in Leaf([1, channels, h, w], Anywhere)
        from weight in Leaf([2, channels, k, k], Anywhere)
        select new Case([input, weight], t => Functional.Conv2d(t[0], t[1], padding: "same", dilation: d), $"kernel {k} dilation {d}");

    // Max pooling is not differentiable where two window elements tie: every value is distinct.
    private static readonly Gen<Case> MaxPool =
        from c in Small
        from kh in Gen.Int[1, 3]
        from kw in Gen.Int[1, 3]
        from sh in Small
        from sw in Small
        from ph in Gen.Int[0, kh / 2]
        from pw in Gen.Int[0, kw / 2]
        from d in Small
        from ceil in Gen.Bool
        from h in Gen.Int[d * (kh - 1) + 1, d * (kh - 1) + 4]
        from w in Gen.Int[d * (kw - 1) + 1, d * (kw - 1) + 4]
        from leaves in DistinctLeaves([2, c, h, w])
        select new Case(leaves, t => Functional.MaxPool2d(t[0], (kh, kw), (sh, sw), (ph, pw), d, ceil),
                        $"kernel ({kh}, {kw}) stride ({sh}, {sw}) padding ({ph}, {pw}) dilation {d} ceil {ceil}");

    private static readonly Gen<Case> AvgPool =
        from kh in Gen.Int[1, 3]
        from kw in Gen.Int[1, 3]
        from sh in Small
        from sw in Small
        from ph in Gen.Int[0, kh / 2]
        from pw in Gen.Int[0, kw / 2]
        from ceil in Gen.Bool
        from countPad in Gen.Bool
        from divisorChoice in Gen.Int[0, 1]
        let divisor = divisorChoice == 0 ? (int?)null : 3
        from h in Gen.Int[kh, kh + 3]
        from w in Gen.Int[kw, kw + 3]
        from unbatched in Gen.Bool
        from input in Leaf(unbatched ? [2, h, w] : [2, 2, h, w], Anywhere)
        select new Case([input], t => Functional.AvgPool2d(t[0], (kh, kw), (sh, sw), (ph, pw), ceil, countPad, divisor),
                        $"kernel ({kh}, {kw}) stride ({sh}, {sw}) padding ({ph}, {pw}) ceil {ceil} count_include_pad {countPad} divisor {divisor}");

    private static readonly Gen<Case> AdaptiveAvgPool =
        from h in Gen.Int[1, 6]
        from w in Gen.Int[1, 6]
        from oh in Gen.Int[1, 4]
        from ow in Gen.Int[1, 4]
        from input in Leaf([2, 2, h, w], Anywhere)
        select new Case([input], t => Functional.AdaptiveAvgPool2d(t[0], (oh, ow)), $"output ({oh}, {ow})");

    public static readonly Dictionary<string, Gen<Case>> WindowCases = new()
    {
        ["Conv2d"] = Conv,
        ["Conv2d(padding: same)"] = ConvSame,
        ["MaxPool2d"] = MaxPool,
        ["AvgPool2d"] = AvgPool,
        ["AdaptiveAvgPool2d"] = AdaptiveAvgPool,
        ["Conv2d second order"] = SecondOrder(Conv),
        ["MaxPool2d second order"] = SecondOrder(MaxPool),
        ["AvgPool2d second order"] = SecondOrder(AvgPool),
        ["AdaptiveAvgPool2d second order"] = SecondOrder(AdaptiveAvgPool),
    };

    // As GradCheckSecondOrderTests does: the checked function is the createGraph gradient of a
    // randomly weighted sum of the output. Convolution is bilinear, so the weighted output is
    // squared to make its second derivative in each input non-zero.
    private static Gen<Case> SecondOrder(Gen<Case> firstOrder) =>
        from c in firstOrder
        from seed in Gen.Int
        select new Case(c.Inputs, inputs =>
        {
            using var enabled = NativeGrad.Autograd.EnableGrad();
            var output = c.Function(inputs);
            var random = new System.Random(seed);
            var weighting = Tensor.FromSpan<double>(Enumerable.Range(0, (int)output.NumElements).Select(_ => random.NextDouble() * 2 - 1).ToArray(), [.. output.Shape]);
            var grads = NativeGrad.Autograd.Grad([(output * weighting).Sum().Pow(2L)], inputs, createGraph: true);
            return Tensor.Cat(grads.Select(g => g!.Reshape(-1)).ToArray());
        }, c.Note);
}
