// Decodes a libFuzzer input into the arguments of one C ABI call, and knows what the header's
// contract says that call must do.
//
// Every buffer is allocated at exactly the size the contract says the call may touch, so under
// AddressSanitizer a read or write one byte outside it is a finding. Most sizes are small and valid;
// some are deliberately wrong (negative, overflowing, NULL, an ndim past NG_MAX_DIMS ...), and then
// the call is marked as one the ABI must reject, its buffers left empty so that touching them is
// a finding too. A call whose honest buffers would exceed kBufferBudget is not made (Skip).
#ifndef NATIVEGRAD_FUZZ_FUZZ_CALL_H
#define NATIVEGRAD_FUZZ_FUZZ_CALL_H

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "nativegrad.h"

namespace ngfuzz {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
// The most bytes one buffer gets: enough for SIMD bodies and tails, GEMM blocks and a few
// thread-pool splits, small enough for thousands of calls a second.
constexpr int64_t kBufferBudget = int64_t{1} << 18;

// Thrown when a valid call would need a buffer over kBufferBudget: the harness cannot own what
// the contract would let the library touch, so the call is not made.
struct Skip {};

// What the contract says about a decoded call.
enum class Expect { ok, error, either };

// What an input buffer holds: raw fuzzer bytes (any float bit pattern), bools (0 or 1 per byte,
// as NG_DTYPE_BOOL requires), or nothing in particular (an output).
enum class Fill { bytes, bools, none };

// Bytes per element of a dtype, 0 for an integer outside ng_dtype.
inline int64_t element_size(int32_t dtype) {
    switch (dtype) {
        case NG_DTYPE_F32: return 4;
        case NG_DTYPE_F64: return 8;
        case NG_DTYPE_I64: return 8;
        case NG_DTYPE_BOOL: return 1;
    }
    return 0;
}

// a * b, or false when the product of two non-negative values leaves int64.
inline bool multiply(int64_t a, int64_t b, int64_t& product) { return !__builtin_mul_overflow(a, b, &product); }

struct Shape {
    int32_t ndim = 0;
    std::vector<int64_t> dims;  // max(ndim, 0) entries, or fewer when ndim is out of range
    const int64_t* pointer = nullptr;
    int64_t count = 0;           // elements, 0 when the shape is invalid
};

struct Operand {
    const int64_t* strides = nullptr;
    void* data = nullptr;
    bool contiguous = false;
};

class Call {
public:
    Call(FuzzedDataProvider& in) : in_(in) {}

    FuzzedDataProvider& in() { return in_; }
    void must_fail() { must_fail_ = true; }
    void may_fail() { may_fail_ = true; }
    Expect expectation() const { return must_fail_ ? Expect::error : may_fail_ ? Expect::either : Expect::ok; }

    // One choice in [0, n), or the fuzzer's "odd" pick when its byte is high.
    bool odd(int per_256 = 12) { return in_.ConsumeIntegral<uint8_t>() < per_256; }

    // A count or dimension: mostly in [0, most], now and then larger, negative or huge.
    int64_t size(int64_t most = 5) {
        const uint8_t pick = in_.ConsumeIntegral<uint8_t>();
        if (pick < 224) return pick % (most + 1);
        if (pick < 240) return in_.ConsumeIntegralInRange<int64_t>(0, 300);
        static constexpr int64_t kOdd[] = {-1, kInt64Min, kInt64Max, int64_t{1} << 31, (int64_t{1} << 31) + 1,
                                           int64_t{1} << 32, int64_t{1} << 40, int64_t{1} << 62,
                                           kInt64Max / 2 + 1, kInt64Max / 8 + 1, -(int64_t{1} << 40)};
        return kOdd[pick % std::size(kOdd)];
    }

    // A dtype: mostly one of the four, sometimes an integer outside ng_dtype (must be rejected).
    ng_dtype dtype() {
        const uint8_t pick = in_.ConsumeIntegral<uint8_t>();
        if (pick < 240) return static_cast<ng_dtype>(pick % 4);
        static constexpr int32_t kOdd[] = {-1, 4, 5, 255, std::numeric_limits<int32_t>::min(),
                                           std::numeric_limits<int32_t>::max()};
        must_fail();
        return static_cast<ng_dtype>(kOdd[pick % std::size(kOdd)]);
    }

    // An enum or flag in [0, count), sometimes out of range (then the call must fail).
    int32_t choice(int32_t count) {
        const uint8_t pick = in_.ConsumeIntegral<uint8_t>();
        if (pick < 244) return pick % count;
        must_fail();
        static constexpr int32_t kOdd[] = {-1, 0, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
        const int32_t value = kOdd[pick % std::size(kOdd)];
        return value == 0 ? count : value;
    }

    // The product of `factors` times `element` bytes, checked as the contract counts: any negative
    // factor or a product past int64 makes the call one that must fail (and gives 0); a zero
    // factor gives 0; a product over the budget skips the call.
    int64_t elements(std::initializer_list<int64_t> factors, int64_t element) {
        if (element == 0) element = 1;  // a dtype outside ng_dtype (the call fails): still bounded
        int64_t product = 1;
        bool overflow = false, empty = false;
        for (int64_t factor : factors) {
            if (factor < 0) {
                must_fail();
                return 0;
            }
            empty = empty || factor == 0;
            if (factor != 0) overflow = overflow || !multiply(product, factor, product);
        }
        int64_t bytes = 0;
        if (empty) {
            // The library may multiply the other factors before it sees the zero.
            if (overflow || !multiply(product, element, bytes)) may_fail();
            return 0;
        }
        if (overflow || !multiply(product, element, bytes)) {
            must_fail();
            return 0;
        }
        if (bytes > kBufferBudget) throw Skip{};
        return product;
    }

    // A shape for an operation whose largest element is `element` bytes.
    Shape shape(int64_t element) {
        if (element == 0) element = 1;
        Shape shape;
        const uint8_t pick = in_.ConsumeIntegral<uint8_t>();
        static constexpr int32_t kRanks[] = {0, 1, 1, 2, 2, 3, 4, 5, NG_MAX_DIMS, NG_MAX_DIMS + 1, -1, 1000};
        shape.ndim = kRanks[pick % std::size(kRanks)];
        const bool rank_ok = shape.ndim >= 0 && shape.ndim <= NG_MAX_DIMS;
        if (!rank_ok) must_fail();
        // Beyond four dimensions most are 1, so that the elements stay within the budget.
        for (int32_t d = 0; rank_ok && d < shape.ndim; ++d) shape.dims.push_back(size(shape.ndim > 4 ? 1 : 5));
        shape.dims.push_back(0);  // a valid pointer even for ndim 0 (the ABI must not read it)
        shape.pointer = shape.dims.data();
        if (shape.ndim > 0 && odd(4)) {
            shape.pointer = nullptr;
            must_fail();
        }
        if (!rank_ok || shape.pointer == nullptr) return shape;
        bool negative = false, empty = false, overflow = false;
        int64_t count = 1;
        for (int32_t d = 0; d < shape.ndim; ++d) {
            negative = negative || shape.dims[d] < 0;
            empty = empty || shape.dims[d] == 0;
            overflow = overflow || !multiply(count, shape.dims[d], count);
        }
        int64_t bytes = 0;
        if (negative) must_fail();
        else if (empty) count = 0;
        else if (overflow || !multiply(count, element, bytes)) must_fail();
        shape.count = negative || empty || overflow || bytes == 0 ? 0 : count;
        // Broadcast (stride 0) operands need no memory however many elements there are; bound
        // the work too.
        if (shape.count > kBufferBudget) throw Skip{};
        return shape;
    }

    // An operand read (or written) through strides over `shape`: row-major, broadcast (0) or
    // arbitrary small strides of either sign, sometimes ones whose reach no int64 counts (must
    // fail), a NULL stride array or a NULL data pointer (unless not `nullable`). The buffer covers exactly the elements
    // the strides reach, the data pointer placed inside it so that negative strides stay in it.
    Operand strided(const Shape& shape, int64_t element, Fill fill, bool nullable = true) {
        if (element == 0) element = 1;  // a dtype outside ng_dtype (the call fails): still bounded
        std::vector<int64_t>& strides = stride_arrays_.emplace_back(shape.dims.size() + 1, 0);
        Operand operand;
        operand.strides = strides.data();
        const uint8_t layout = in_.ConsumeIntegral<uint8_t>();
        int64_t step = 1;
        for (int32_t d = static_cast<int32_t>(shape.dims.size()) - 2; d >= 0; --d) {
            if (layout < 128) {
                strides[d] = step;
                if (!multiply(step, shape.dims[d] < 1 ? 1 : shape.dims[d], step)) step = 0;
            } else {
                const uint8_t pick = in_.ConsumeIntegral<uint8_t>();
                static constexpr int64_t kHuge[] = {kInt64Max, kInt64Min, int64_t{1} << 61, -(int64_t{1} << 61)};
                strides[d] = pick < 248 ? static_cast<int64_t>(pick % 9) - 4 : kHuge[pick % 4];
            }
        }
        operand.contiguous = layout < 128;
        if (nullable && shape.ndim > 0 && odd(3)) {
            operand.strides = nullptr;
            must_fail();
        }
        if (shape.count == 0 || operand.strides == nullptr) {
            operand.data = nullable && shape.count == 0 && odd(8) ? nullptr : buffer(0, fill);
            return operand;
        }
        // The reach below and above the first element, in elements, each checked for overflow.
        int64_t below = 0, above = 0;
        bool overflow = false;
        for (int32_t d = 0; d < shape.ndim; ++d) {
            const int64_t stride = strides[d], steps = shape.dims[d] - 1;
            if (steps == 0) continue;
            int64_t reach = 0, bytes = 0;
            if (stride == kInt64Min || !multiply(stride < 0 ? -stride : stride, steps, reach) ||
                !multiply(reach, element, bytes)) {
                overflow = true;
            } else if (stride < 0) {
                overflow = overflow || __builtin_add_overflow(below, reach, &below);
            } else {
                overflow = overflow || __builtin_add_overflow(above, reach, &above);
            }
        }
        int64_t total = 0, bytes = 0;
        if (overflow || __builtin_add_overflow(below, above, &total) || !multiply(total, element, bytes)) {
            must_fail();
            operand.data = buffer(0, fill);
            return operand;
        }
        if (bytes > kBufferBudget - element) throw Skip{};
        char* base = static_cast<char*>(buffer((total + 1) * element, fill));
        operand.data = base + below * element;
        if (nullable && odd(3)) {
            operand.data = nullptr;
            must_fail();
        }
        return operand;
    }

    // A contiguous buffer of `count` elements, sometimes NULL (then the call must fail when
    // count > 0). count == 0 gives a zero-byte allocation: any access to it is a finding.
    void* contiguous(int64_t count, int64_t element, Fill fill) {
        if (odd(3)) {
            if (count > 0) must_fail();
            return nullptr;
        }
        int64_t bytes = 0;
        if (!multiply(count, element, bytes)) throw Skip{};
        return buffer(bytes, fill);
    }

    // int64 indices, count of them, each in [-1, limit) or now and then outside (must fail).
    int64_t* indices(int64_t count, int64_t limit) {
        int64_t* index = static_cast<int64_t*>(contiguous(count, sizeof(int64_t), Fill::none));
        for (int64_t i = 0; index != nullptr && i < count; ++i) {
            const uint8_t pick = in_.ConsumeIntegral<uint8_t>();
            if (pick < 250) {
                const int64_t choices = limit < 256 ? limit + 1 : 256;  // -1 and the first positions
                index[i] = limit <= 0 ? -1 : static_cast<int64_t>(pick % choices) - 1;
            } else {
                static constexpr int64_t kOdd[] = {-2, kInt64Min, kInt64Max};
                index[i] = pick % 2 == 0 ? limit : kOdd[pick % 3];
                must_fail();
            }
        }
        return index;
    }

    // `bytes` bytes owned by this call, filled as asked.
    void* buffer(int64_t bytes, Fill fill) {
        if (bytes > kBufferBudget) throw Skip{};
        std::unique_ptr<uint8_t[]>& block = buffers_.emplace_back(new uint8_t[static_cast<size_t>(bytes)]);
        uint8_t* p = block.get();
        if (fill == Fill::none) {
            std::memset(p, 0xA5, static_cast<size_t>(bytes));
            return p;
        }
        // The fuzzer's bytes, repeated to fill the buffer (so large inputs cost no input size).
        const std::vector<uint8_t> pattern = in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(1, 64));
        for (int64_t i = 0; i < bytes; ++i) {
            const uint8_t byte = pattern.empty() ? static_cast<uint8_t>(i * 37) : pattern[i % pattern.size()];
            p[i] = fill == Fill::bools ? byte & 1 : byte;
        }
        return p;
    }

private:
    FuzzedDataProvider& in_;
    std::vector<std::unique_ptr<uint8_t[]>> buffers_;
    std::vector<std::vector<int64_t>> stride_arrays_;
    bool must_fail_ = false;
    bool may_fail_ = false;
};

}  // namespace ngfuzz

#endif
