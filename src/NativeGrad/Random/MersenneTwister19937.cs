using System.Runtime.CompilerServices;

namespace NativeGrad;

/// <summary>
/// The 32-bit Mersenne Twister (MT19937) exactly as PyTorch's <c>at::mt19937</c> runs it: the
/// standard Matsumoto–Nishimura recurrence and tempering, seeded from the low 32 bits of the seed
/// with the Knuth initialisation multiplier 1812433253. Its output equals C++'s
/// <c>std::mt19937(seed)</c>. Not thread-safe on its own; <see cref="Generator"/> locks around it.
/// </summary>
internal sealed class MersenneTwister19937
{
    private const int StateSize = 624;          // N: words of state
    private const int ShiftSize = 397;          // M: the middle word offset of the recurrence
    private const uint MatrixA = 0x9908B0DFu;   // the twist matrix's last row
    private const uint UpperMask = 0x80000000u; // the most significant bit of a word
    private const uint LowerMask = 0x7FFFFFFFu; // the 31 low bits of a word

    private readonly uint[] _state = new uint[StateSize];

    // Index of the next state word to temper and return; StateSize means "twist first".
    private int _next;

    /// <summary>Creates an engine seeded with <paramref name="seed"/> (only its low 32 bits count).</summary>
    public MersenneTwister19937(ulong seed) => Seed(seed);

    /// <summary>
    /// Re-initialises the state from the low 32 bits of <paramref name="seed"/>, like PyTorch,
    /// which passes the 64-bit seed to <c>mt19937</c> but keeps only <c>seed &amp; 0xffffffff</c>.
    /// </summary>
    public void Seed(ulong seed)
    {
        uint[] state = _state;
        state[0] = (uint)seed;
        for (int i = 1; i < StateSize; i++)
        {
            uint previous = state[i - 1];
            state[i] = unchecked(1812433253u * (previous ^ (previous >> 30)) + (uint)i);
        }

        // PyTorch starts with left_ = 1, so the very first draw regenerates the whole state:
        // the same as starting at the end of an exhausted block.
        _next = StateSize;
    }

    /// <summary>The next 32-bit output (PyTorch's <c>CPUGeneratorImpl::random()</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextUInt32()
    {
        if (_next >= StateSize)
        {
            Twist();
        }

        uint y = _state[_next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>
    /// The next 64-bit output (PyTorch's <c>random64()</c>): two 32-bit draws, the first one
    /// becoming the high half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong high = NextUInt32();
        ulong low = NextUInt32();
        return (high << 32) | low;
    }

    // Regenerates all 624 words at once; kept out of line so the hot draw stays small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Twist()
    {
        uint[] state = _state;
        int i = 0;
        for (; i < StateSize - ShiftSize; i++)
        {
            uint y = (state[i] & UpperMask) | (state[i + 1] & LowerMask);
            state[i] = state[i + ShiftSize] ^ (y >> 1) ^ ((y & 1u) * MatrixA);
        }

        for (; i < StateSize - 1; i++)
        {
            uint y = (state[i] & UpperMask) | (state[i + 1] & LowerMask);
            state[i] = state[i + ShiftSize - StateSize] ^ (y >> 1) ^ ((y & 1u) * MatrixA);
        }

        uint last = (state[StateSize - 1] & UpperMask) | (state[0] & LowerMask);
        state[StateSize - 1] = state[ShiftSize - 1] ^ (last >> 1) ^ ((last & 1u) * MatrixA);
        _next = 0;
    }
}
