using NativeGrad.Backends;

namespace NativeGrad.Tests.Ops;

// add/sub with alpha, out of place and in place (the SGD update), on both backends. Every
// expected value is torch 1.13's, which rounds a + alpha * b once; the float32 operands were
// picked (or drawn: torch.manual_seed(3)) so that some elements differ from a + fl(alpha * b).
public class AddScaledTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    private static readonly float[] P = [0.03159274160861969f, 0.441156268119812f, 0.1163986474275589f, 0.13067744672298431f, -1.1559407711029053f, 0.060491468757390976f];
    private static readonly float[] D = [-0.5086193084716797f, 0.8648261427879333f, -2.135056972503662f, 2.5743727684020996f, -2.404278516769409f, 0.7932366728782654f];

    // torch.randn(2, 9) and torch.randn(9) after torch.manual_seed(3).
    private static readonly float[] A =
    [
        -0.07664429396390915f, 0.35988152027130127f, -0.5144619941711426f, -1.651665449142456f, 1.0460227727890015f, 0.5221869945526123f,
        -0.16680915653705597f, 0.05303340032696724f, 0.4046071469783783f, 0.6112996339797974f, 1.8692600727081299f, -1.1952342987060547f,
        0.997922420501709f, 0.45918044447898865f, 2.436397075653076f, -0.1468081772327423f, 0.4851140081882477f, 0.2052343785762787f,
    ];
    private static readonly float[] B = [-2.386920928955078f, -0.5047470331192017f, 1.0230013132095337f, 1.0523425340652466f, -0.3042903542518616f, -0.09143860638141632f, -0.10242409259080887f, 1.07394540309906f, 0.9174729585647583f];

    private static Tensor Matrix() => Tensor.From(A).Reshape(2, 9);

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

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Out_of_place_broadcast_rounds_once_like_torch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        float[] sum =
        [
            -0.3153363764286041f, 0.3094068169593811f, -0.41216185688972473f, -1.5464311838150024f, 1.0155937671661377f, 0.5130431056022644f,
            -0.17705155909061432f, 0.16042794287204742f, 0.49635443091392517f, 0.3726075291633606f, 1.818785309791565f, -1.0929341316223145f,
            1.1031566858291626f, 0.4287514090538025f, 2.427253246307373f, -0.15705057978630066f, 0.5925085544586182f, 0.29698166251182556f,
        ];
        float[] difference =
        [
            0.16204780340194702f, 0.41035622358322144f, -0.616762101650238f, -1.7568997144699097f, 1.0764517784118652f, 0.5313308835029602f,
            -0.15656675398349762f, -0.054361142218112946f, 0.3128598630428314f, 0.8499917387962341f, 1.9197348356246948f, -1.297534465789795f,
            0.8926881551742554f, 0.4896094799041748f, 2.4455409049987793f, -0.13656577467918396f, 0.3777194619178772f, 0.11348707973957062f,
        ];
        Assert.Equal(sum, Matrix().Add(Tensor.From(B), 0.1).ToArray());
        Assert.Equal(difference, Matrix().Sub(Tensor.From(B), 0.1).ToArray());
        var twoRoundings = (Matrix() + Tensor.From(B) * 0.1).ToArray();
        Assert.NotEqual(sum, twoRoundings);
        // In place into a contiguous tensor, the same bits.
        var x = Matrix();
        x.Add_(Tensor.From(B), 0.1);
        Assert.Equal(sum, x.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_transposed_operand_rounds_once_like_torch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var bt = Tensor.From([
            1.2683467864990234f, -0.2483270913362503f, 0.7247462868690491f, 1.0795444250106812f, 1.7302472591400146f, -1.4712682962417603f,
            1.140102744102478f, 2.0604937076568604f, -0.4350001811981201f, 1.7746350765228271f, 0.33604028820991516f, 0.5009264945983887f,
            0.54664146900177f, -0.2644413411617279f, -0.5871643424034119f, 0.8711020350456238f, -1.309337854385376f, 0.686674952507019f,
        ]).Reshape(9, 2);
        Assert.Equal([
            0.30385977029800415f, 0.5773054361343384f, 0.004612204153090715f, -1.3096345663070679f, 0.9155226945877075f, 0.6229990720748901f,
            -0.0028167092241346836f, -0.1231159120798111f, 0.01180577464401722f, 0.5368015170097351f, 2.1931233406066895f, -1.6366147994995117f,
            1.6160705089569092f, 0.9915710091590881f, 2.586674928665161f, -0.2261405885219574f, 0.7464446425437927f, 0.41123688220977783f,
        ], Matrix().Add(bt.T, 0.3).ToArray());
    }

    // float32 + alpha * float64 is float64 out of place; in place on float32 it is computed in
    // float64 and stored as float32 (not computed in float32 from a cast operand).
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mixed_precision_promotes_out_of_place_and_stays_float32_in_place(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var bd = Tensor.From([0.5397386554646452, -0.5270501906474718, 0.8107258719913075, -0.8045925940003125, -1.0500642566824991,
                              -0.10965356457321691, 0.3529672737884975, -0.4447023185218536, -0.9508788722851454]);
        var outOfPlace = Matrix().Add(bd, 0.1);
        Assert.Equal(DType.Float64, outOfPlace.DType);
        Assert.Equal([
            -0.02267042841744463, 0.3071765012065541, -0.43338940697201184, -1.7321247085424873, 0.9410163471207516, 0.5112216380952906,
            -0.1315124291582062, 0.008563168474781876, 0.3095192597498638, 0.6652734995262619, 1.8165550536433828, -1.114161711506924,
            0.9174631611016777, 0.35417401881073873, 2.4254317191957546, -0.11151144985389255, 0.44064377633606233, 0.11014649134776414,
        ], outOfPlace.ToArray<double>());
        var inPlace = Matrix();
        inPlace.Add_(bd, 0.1);
        Assert.Equal(DType.Float32, inPlace.DType);
        Assert.Equal([
            -0.022670429199934006f, 0.30717650055885315f, -0.4333893954753876f, -1.73212468624115f, 0.9410163760185242f, 0.5112216472625732f,
            -0.13151243329048157f, 0.008563168346881866f, 0.3095192611217499f, 0.6652734875679016f, 1.8165550231933594f, -1.114161729812622f,
            0.9174631834030151f, 0.35417401790618896f, 2.425431728363037f, -0.11151144653558731f, 0.4406437873840332f, 0.11014649271965027f,
        ], inPlace.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Int64_with_an_integer_alpha_is_exact(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var i = Tensor.From([1L << 62, 5, -7]);
        var j = Tensor.From([3L, 1L << 61, 9]);
        Assert.Equal([4611686018427387913, 6917529027641081861, 20], i.Add(j, 3).ToArray<long>());
        Assert.Equal([4611686018427387895, -6917529027641081851, -34], i.Sub(j, 3).ToArray<long>());
        Assert.Equal(DType.Int64, i.Add(j, 3).DType);
        var k = i.Clone();
        k.Add_(Tensor.From([true, false, true]), 4);
        Assert.Equal([4611686018427387908, 5, -3], k.ToArray<long>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_float_alpha_with_an_integral_result_is_refused(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        const string message = "For integral input tensors, argument alpha must not be a floating point number.";
        var i = Tensor.From([1L, 2]);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => i.Add(i, 2.0)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => i.Add(i, 1.0)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => i.Sub(i, 0.5)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => i.Clone().Sub_(i, 0.5)).Message);
        var flag = Tensor.From([true]);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => flag.Add(flag, 1.5)).Message);
        // A float operand makes the result float, and then a float alpha is fine.
        Assert.Equal([4.5f, 9f], i.Add(Tensor.From([1f, 2f]), 3.5).ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Bool_add_with_alpha_is_logical_or_and_bool_sub_is_refused(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var a = Tensor.From([true, false, false]);
        var b = Tensor.From([false, true, false]);
        Assert.Equal([true, true, false], a.Add(b, 2).ToArray<bool>());
        Assert.Equal([true, false, false], a.Add(b, 0).ToArray<bool>());
        Assert.Equal("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
                     Assert.Throws<ArgumentException>(() => a.Sub(b, 2)).Message);
        Assert.Equal("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
                     Assert.Throws<ArgumentException>(() => a.Sub(Tensor.From([1L, 2, 3]), 2)).Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Int64_add_of_a_float_tensor_in_place_is_refused(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var i = Tensor.From([1L, 2]);
        Assert.Equal("result type Float can't be cast to the desired output type Long",
                     Assert.Throws<ArgumentException>(() => i.Add_(Tensor.From([1f, 2f]), 2)).Message);
        Assert.Equal([1L, 2], i.ToArray<long>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_gradient_of_other_is_alpha_times_grad(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var w = Tensor.Randn([3], requiresGrad: true);
        var v = Tensor.Randn([3], requiresGrad: true);
        var difference = w.Sub(v, 2.5);
        Assert.Equal("SubBackward0", difference.GradFn!.Name);
        difference.Sum().Backward();
        Assert.Equal([1f, 1f, 1f], w.Grad!.ToArray());
        Assert.Equal([-2.5f, -2.5f, -2.5f], v.Grad!.ToArray());

        w.Grad = null;
        v.Grad = null;
        var sum = w.Add(v, 3L);
        Assert.Equal("AddBackward0", sum.GradFn!.Name);
        sum.Sum().Backward();
        Assert.Equal([1f, 1f, 1f], w.Grad!.ToArray());
        Assert.Equal([3f, 3f, 3f], v.Grad!.ToArray());
    }
}
