using System.Security.Cryptography;

namespace NativeGrad;

/// <summary>
/// A random number generator that reproduces PyTorch's CPU generator (<c>CPUGeneratorImpl</c>,
/// PyTorch 1.13 on x86-64 with AVX2) bit for bit: after <c>ManualSeed(s)</c> the fill methods give
/// exactly what <c>torch.manual_seed(s)</c> followed by <c>torch.randn</c>, <c>torch.rand</c>,
/// <c>torch.randint</c>, <c>torch.randperm</c>, <c>Tensor.normal_</c>, <c>Tensor.uniform_</c> and
/// <c>Tensor.bernoulli_</c> give for a contiguous tensor
/// of the same dtype and element count, and calls chain with the same stream position and cached
/// normal as the same sequence of PyTorch calls.
/// </summary>
/// <remarks>
/// <para>
/// The engine is MT19937 seeded with the low 32 bits of the seed. One 32-bit draw makes a float32
/// uniform (24 random bits), two draws make a float64 uniform (53 bits). Normals come from two
/// Box–Muller paths, chosen the way PyTorch chooses them: tensors of 16 or more elements use the
/// block fill (all uniforms drawn first, transformed 16 at a time, and the last 16 drawn again and
/// redone when the count is not a multiple of 16); smaller tensors draw one float64 normal per
/// element from pairs of uniforms, keeping the second value of each pair for the next call.
/// </para>
/// <para>
/// Thread safety: every public member takes this generator's lock for its whole duration, like
/// PyTorch locks the generator's mutex around a kernel, so concurrent fills never interleave
/// draws. The order in which concurrent callers get the lock is of course not deterministic.
/// </para>
/// <para>
/// PyTorch's own float32 block path depends on the CPU it runs on: builds that select the AVX2
/// kernels (the usual x86-64 case, and the one these values were checked against) use a Cephes
/// polynomial log and sincos, while the generic kernel uses libm and differs in the last bits of
/// about a third of the values. This class always produces the AVX2 stream, on any CPU.
/// </para>
/// <para>
/// The float64 Box–Muller arithmetic (used by every normal of fewer than 16 elements, and by float64
/// blocks) calls the platform's <see cref="Math.Log(double)"/> and <see cref="Math.SinCos"/>, where
/// PyTorch calls glibc's <c>log</c> and <c>sincos</c>. On Linux with glibc they are the same
/// functions, so the results match exactly; another C runtime may differ in the last bit for rare
/// inputs. The float32 block path depends on no runtime math library.
/// </para>
/// </remarks>
public sealed class Generator
{
    /// <summary>The seed of a new <c>torch.Generator()</c>: 67280421310721.</summary>
    public const ulong DefaultSeed = 67280421310721;

    // 1 / 2^24 and 1 / 2^53: the weight of one unit in the last place of a float32 / float64
    // uniform built from 24 / 53 random bits.
    private const float FloatUniformScale = 1f / (1 << 24);
    private const double DoubleUniformScale = 1.0 / (1UL << 53);
    private const uint FloatMantissaBits = (1u << 24) - 1;
    private const ulong DoubleMantissaBits = (1UL << 53) - 1;

    private static readonly Lazy<Generator> DefaultInstance =
        new(() => new Generator(NondeterministicSeed()), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly object _sync = new();
    private readonly MersenneTwister19937 _engine;
    private ulong _initialSeed;

    // PyTorch's next_double_normal_sample_: the sine half of the last scalar Box-Muller pair.
    private bool _hasCachedNormal;
    private double _cachedNormal;

    /// <summary>Creates a generator seeded like <c>torch.Generator().manual_seed(seed)</c>.</summary>
    /// <param name="seed">The seed; PyTorch's default generator seed unless given.</param>
    public Generator(ulong seed = DefaultSeed)
    {
        _engine = new MersenneTwister19937(seed);
        _initialSeed = seed;
    }

    /// <summary>
    /// The process-wide default generator, the one <c>torch.manual_seed</c> seeds and that the
    /// tensor factories use when no generator is given. Like PyTorch's, it starts from a
    /// non-deterministic seed until someone seeds it.
    /// </summary>
    public static Generator Default => DefaultInstance.Value;

    /// <summary>The seed this generator was last seeded with (<c>Generator.initial_seed()</c>).</summary>
    public ulong InitialSeed
    {
        get
        {
            lock (_sync)
            {
                return _initialSeed;
            }
        }
    }

    /// <summary>
    /// Seeds the default generator, like <c>torch.manual_seed(seed)</c>. A negative Python seed
    /// corresponds to its two's-complement value here, e.g. -1 is <see cref="ulong.MaxValue"/>.
    /// </summary>
    /// <param name="seed">The new seed.</param>
    /// <returns>The default generator.</returns>
    public static Generator ManualSeedDefault(ulong seed) => Default.ManualSeed(seed);

    /// <summary>
    /// Re-seeds this generator (<c>Generator.manual_seed</c>): restarts the stream and drops the
    /// cached normal. Only the low 32 bits drive the stream; <see cref="InitialSeed"/> keeps all 64.
    /// </summary>
    /// <param name="seed">The new seed.</param>
    /// <returns>This generator, for chaining.</returns>
    public Generator ManualSeed(ulong seed)
    {
        lock (_sync)
        {
            _engine.Seed(seed);
            _initialSeed = seed;
            _hasCachedNormal = false;
            _cachedNormal = 0;
        }

        return this;
    }

    /// <summary>
    /// Re-seeds this generator from a non-deterministic source (<c>Generator.seed()</c>).
    /// </summary>
    /// <returns>The new seed.</returns>
    public ulong Seed()
    {
        ulong seed = NondeterministicSeed();
        ManualSeed(seed);
        return seed;
    }

    /// <summary>The next raw 32-bit draw (PyTorch's <c>random()</c>).</summary>
    /// <returns>A uniformly distributed 32-bit value.</returns>
    public uint NextUInt32()
    {
        lock (_sync)
        {
            return _engine.NextUInt32();
        }
    }

    /// <summary>The next raw 64-bit draw (PyTorch's <c>random64()</c>: two 32-bit draws, high first).</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        lock (_sync)
        {
            return _engine.NextUInt64();
        }
    }

    /// <summary>
    /// Fills a contiguous float32 tensor's elements with normals, exactly like <c>torch.randn</c>
    /// (mean 0, std 1) or <c>Tensor.normal_(mean, std)</c>.
    /// </summary>
    /// <param name="destination">The elements, in row-major order.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation, not negative.</param>
    public void FillNormal(Span<float> destination, double mean = 0, double std = 1)
    {
        CheckStandardDeviation(std);
        lock (_sync)
        {
            if (destination.Length >= BoxMullerBlocks.BlockSize)
            {
                FillNormalBlocks(destination, (float)mean, (float)std);
            }
            else
            {
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)NextScalarNormal(mean, std);
                }
            }
        }
    }

    /// <summary>
    /// Fills a contiguous float64 tensor's elements with normals, exactly like
    /// <c>torch.randn(..., dtype=torch.float64)</c> or <c>Tensor.normal_(mean, std)</c>.
    /// </summary>
    /// <param name="destination">The elements, in row-major order.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation, not negative.</param>
    public void FillNormal(Span<double> destination, double mean = 0, double std = 1)
    {
        CheckStandardDeviation(std);
        lock (_sync)
        {
            if (destination.Length >= BoxMullerBlocks.BlockSize)
            {
                FillNormalBlocks(destination, mean, std);
            }
            else
            {
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = NextScalarNormal(mean, std);
                }
            }
        }
    }

    /// <summary>
    /// Fills a contiguous float32 tensor's elements with uniforms in [from, to), exactly like
    /// <c>torch.rand</c> (from 0 to 1) or <c>Tensor.uniform_(from, to)</c>: one 32-bit draw each.
    /// </summary>
    /// <param name="destination">The elements, in row-major order.</param>
    /// <param name="from">The lower bound.</param>
    /// <param name="to">The upper bound, not below <paramref name="from"/>.</param>
    public void FillUniform(Span<float> destination, double from = 0, double to = 1)
    {
        CheckUniformBounds(from, to);

        // PyTorch rounds the bounds to the tensor's dtype first and computes in float32.
        float low = (float)from;
        float width = (float)to - low;
        lock (_sync)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = MathF.FusedMultiplyAdd(NextFloatUnit(), width, low);
            }
        }
    }

    /// <summary>
    /// Fills a contiguous float64 tensor's elements with uniforms in [from, to), exactly like
    /// <c>torch.rand(..., dtype=torch.float64)</c> or <c>Tensor.uniform_(from, to)</c>: two 32-bit
    /// draws (53 random bits) each.
    /// </summary>
    /// <param name="destination">The elements, in row-major order.</param>
    /// <param name="from">The lower bound.</param>
    /// <param name="to">The upper bound, not below <paramref name="from"/>.</param>
    public void FillUniform(Span<double> destination, double from = 0, double to = 1)
    {
        CheckUniformBounds(from, to);
        double width = to - from;
        lock (_sync)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = Math.FusedMultiplyAdd(NextDoubleUnit(), width, from);
            }
        }
    }

    /// <summary>
    /// Fills a contiguous int64 tensor's elements with integers in [low, high), exactly like
    /// <c>torch.randint(low, high, size)</c>: each is <c>low + draw % (high - low)</c>, with a
    /// 32-bit draw when the range is below 2^32 and a 64-bit draw otherwise (so, like PyTorch,
    /// slightly biased towards small offsets for ranges that do not divide 2^32 or 2^64).
    /// </summary>
    /// <param name="destination">The elements, in row-major order.</param>
    /// <param name="low">The smallest value, inclusive.</param>
    /// <param name="high">The bound, exclusive; greater than <paramref name="low"/>.</param>
    public void FillRandint(Span<long> destination, long low, long high)
    {
        if (low >= high)
        {
            throw new ArgumentException(
                $"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}", nameof(high));
        }

        ulong range = unchecked((ulong)high - (ulong)low);
        lock (_sync)
        {
            if (range >= 1UL << 32)
            {
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = unchecked((long)(_engine.NextUInt64() % range + (ulong)low));
                }
            }
            else
            {
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = unchecked((long)(_engine.NextUInt32() % range + (ulong)low));
                }
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with a random permutation of 0 .. Length - 1, exactly
    /// like <c>torch.randperm(destination.Length)</c> on the CPU: a forward Fisher–Yates shuffle
    /// where step i swaps element i with element i + draw % (n - i), one 32-bit draw per step
    /// (n - 1 draws in all, none for n of 0 or 1).
    /// </summary>
    /// <remarks>
    /// PyTorch 1.13 uses this one algorithm for every n (checked against Debian's 1.13 build at
    /// n = 214748364, where later releases switch to 64-bit draws and an inside-out shuffle).
    /// </remarks>
    /// <param name="destination">Receives the permutation; its length is n.</param>
    public void Randperm(Span<long> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = i;
        }

        int n = destination.Length;
        lock (_sync)
        {
            for (int i = 0; i < n - 1; i++)
            {
                int other = i + (int)(_engine.NextUInt32() % (uint)(n - i));
                (destination[i], destination[other]) = (destination[other], destination[i]);
            }
        }
    }

    /// <summary>
    /// The next value of <c>torch.empty((), dtype=torch.int64).random_(generator=this)</c>: a
    /// 64-bit draw reduced to [0, 2^63). PyTorch's DataLoader and RandomSampler draw their seeds
    /// this way.
    /// </summary>
    /// <returns>A uniformly distributed non-negative 64-bit value.</returns>
    public long NextInt64Seed() => (long)(NextUInt64() & long.MaxValue);

    /// <summary>
    /// Fills a contiguous float32 tensor's elements with 1 (probability <paramref name="p"/>) or 0,
    /// like <c>Tensor.bernoulli_(p)</c> with a float <c>p</c> in a PyTorch build without MKL (such as
    /// Debian's): one float64 uniform (two 32-bit draws) per element, 1 when it is below p.
    /// Builds with MKL use MKL's own stream for this operation and give different values.
    /// </summary>
    /// <param name="destination">The elements, in row-major order.</param>
    /// <param name="p">The probability of a 1, in [0, 1].</param>
    public void FillBernoulli(Span<float> destination, double p)
    {
        CheckProbability(p);
        lock (_sync)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = NextDoubleUnit() < p ? 1f : 0f;
            }
        }
    }

    /// <summary>The float64 form of <see cref="FillBernoulli(Span{float}, double)"/>, with the same draws.</summary>
    /// <param name="destination">The elements, in row-major order.</param>
    /// <param name="p">The probability of a 1, in [0, 1].</param>
    public void FillBernoulli(Span<double> destination, double p)
    {
        CheckProbability(p);
        lock (_sync)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = NextDoubleUnit() < p ? 1.0 : 0.0;
            }
        }
    }

    // The block path of normal_kernel for float32 (normal_fill_AVX2).
    private void FillNormalBlocks(Span<float> destination, float mean, float std)
    {
        const int block = BoxMullerBlocks.BlockSize;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextFloatUnit();
        }

        int whole = destination.Length - destination.Length % block;
        for (int start = 0; start < whole; start += block)
        {
            BoxMullerBlocks.TransformFloat(destination.Slice(start, block), mean, std);
        }

        if (whole != destination.Length)
        {
            // PyTorch redraws the last 16 (overwriting already finished normals) and redoes them.
            Span<float> tail = destination[^block..];
            for (int i = 0; i < block; i++)
            {
                tail[i] = NextFloatUnit();
            }

            BoxMullerBlocks.TransformFloat(tail, mean, std);
        }
    }

    // The block path of normal_kernel for float64 (normal_fill<double>).
    private void FillNormalBlocks(Span<double> destination, double mean, double std)
    {
        const int block = BoxMullerBlocks.BlockSize;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextDoubleUnit();
        }

        int whole = destination.Length - destination.Length % block;
        for (int start = 0; start < whole; start += block)
        {
            BoxMullerBlocks.TransformDouble(destination.Slice(start, block), mean, std);
        }

        if (whole != destination.Length)
        {
            Span<double> tail = destination[^block..];
            for (int i = 0; i < block; i++)
            {
                tail[i] = NextDoubleUnit();
            }

            BoxMullerBlocks.TransformDouble(tail, mean, std);
        }
    }

    // at::normal_distribution<double>: one normal per call, from a cached value when there is one,
    // else from a fresh Box-Muller pair whose sine half is cached. Caller holds the lock.
    private double NextScalarNormal(double mean, double std)
    {
        double standard;
        if (_hasCachedNormal)
        {
            _hasCachedNormal = false;
            standard = _cachedNormal;
        }
        else
        {
            double u1 = NextDoubleUnit();
            double u2 = NextDoubleUnit();
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - u2));
            double theta = 2.0 * Math.PI * u1;
            (double sin, double cos) = Math.SinCos(theta);
            _cachedNormal = radius * sin;
            _hasCachedNormal = true;
            standard = radius * cos;
        }

        // GCC fused PyTorch's "value * std + mean".
        return Math.FusedMultiplyAdd(standard, std, mean);
    }

    // A float32 uniform in [0, 1): the low 24 bits of one draw, scaled (exact).
    private float NextFloatUnit() => (_engine.NextUInt32() & FloatMantissaBits) * FloatUniformScale;

    // A float64 uniform in [0, 1): the low 53 bits of a 64-bit draw, scaled (exact).
    private double NextDoubleUnit() => (_engine.NextUInt64() & DoubleMantissaBits) * DoubleUniformScale;

    private static void CheckStandardDeviation(double std)
    {
        if (!(std >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(std), std, "normal expects std >= 0.0");
        }
    }

    private static void CheckUniformBounds(double from, double to)
    {
        if (!(from <= to))
        {
            throw new ArgumentException(
                $"uniform_ expects to return a [from, to) range, but found from={from} > to={to}", nameof(to));
        }
    }

    private static void CheckProbability(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "bernoulli_ expects p to be in [0, 1]");
        }
    }

    private static ulong NondeterministicSeed()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
