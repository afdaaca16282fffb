// libFuzzer harness over every export of native/include/nativegrad.h.
//
// Each input is a short sequence of calls. For each, the fuzzer's bytes pick an entry of kEntries
// below, and that entry decodes its arguments through ngfuzz::Call (fuzz_call.h): dtype, rank,
// shape, strides, window, counts, which pointers are NULL, and the buffers' contents. After the
// call the harness checks what the header promises: the status is one the function documents
// (never NG_STATUS_INTERNAL), a call with a bad argument fails, a call with none succeeds, and a
// failure leaves a message naming the function. Memory errors and undefined behaviour are left to
// AddressSanitizer and UndefinedBehaviorSanitizer, which the build enables.
//
//   artifacts/native-fuzz/bin/nativegrad_abi_fuzzer native/fuzz/corpus -max_total_time=60
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "fuzz_call.h"

namespace {

using ngfuzz::Call;
using ngfuzz::Fill;
using ngfuzz::Operand;
using ngfuzz::Shape;

constexpr int kFloats = 1 << NG_DTYPE_F32 | 1 << NG_DTYPE_F64;
constexpr int kNumeric = kFloats | 1 << NG_DTYPE_I64;
constexpr int kAll = kNumeric | 1 << NG_DTYPE_BOOL;

// The dtype's element size; an unsupported but real dtype makes the call one that must fail (an
// integer outside ng_dtype already has, in Call::dtype).
int64_t supported(Call& call, ng_dtype dtype, int dtypes) {
    const int64_t size = ngfuzz::element_size(dtype);
    if (size != 0 && (dtypes & (1 << dtype)) == 0) call.must_fail();
    return size;
}

Fill input_fill(ng_dtype dtype) { return dtype == NG_DTYPE_BOOL ? Fill::bools : Fill::bytes; }

// A window with small fields, now and then one below its minimum or past 2^31 (must fail);
// dilations other than 1 only when `dilated`.
const ng_window2d* window(Call& call, bool dilated = true) {
    if (call.odd(3)) {
        call.must_fail();
        return nullptr;
    }
    auto field = [&](int64_t minimum, int64_t choices = 3) {
        const uint8_t pick = call.in().ConsumeIntegral<uint8_t>();
        if (pick < 248) return minimum + pick % choices;
        call.must_fail();
        static constexpr int64_t kOdd[] = {-1, (int64_t{1} << 31) + 1, ngfuzz::kInt64Max, ngfuzz::kInt64Min};
        return pick % 2 == 0 && minimum > 0 ? minimum - 1 : kOdd[pick % 4];
    };
    auto* w = static_cast<ng_window2d*>(call.buffer(sizeof(ng_window2d), Fill::none));
    const int64_t dilations = dilated ? 3 : 1;
    *w = ng_window2d{field(1), field(1), field(1), field(1), field(0), field(0), field(1, dilations), field(1, dilations)};
    return w;
}

// A plane or output size of the window functions: sizes past 2^31 are refused.
int64_t plane_size(Call& call) {
    const int64_t value = call.size();
    if (value > (int64_t{1} << 31)) call.must_fail();
    return value;
}

// ---- The entries: one per export (or per small family), each returning the status to check ----

ng_status status_and_version(Call& call) {
    const int32_t value = call.in().ConsumeIntegral<int32_t>();
    if (ng_status_to_string(static_cast<ng_status>(value)) == nullptr) std::abort();
    if (ng_last_error_message() == nullptr) std::abort();
    if (ng_version_number() != NG_VERSION_NUMBER) std::abort();
    return NG_STATUS_OK;
}

ng_status storage(Call& call) {
    const int64_t bytes = call.size(4096);
    if (bytes < 0 || bytes > (int64_t{1} << 48)) call.must_fail();  // negative, or never allocatable
    else if (bytes > ngfuzz::kBufferBudget) throw ngfuzz::Skip{};    // do not ask the system for it
    void* block = reinterpret_cast<void*>(1);
    void** out = &block;
    if (call.odd(8)) {
        out = nullptr;
        call.must_fail();
    }
    const ng_status status = ng_storage_alloc(bytes, out);
    if (out != nullptr && status != NG_STATUS_OK && block != nullptr) std::abort();  // *out_ptr must be NULL
    if (status == NG_STATUS_OK) {
        std::memset(block, 0x5A, static_cast<size_t>(bytes));  // the whole block is the caller's
        ng_storage_free(block);
    }
    ng_storage_free(nullptr);
    return status;
}

ng_status memory(Call& call) {
    ng_memory_counters counters;
    ng_memory_counters* out = &counters;
    if (call.odd(16)) {
        out = nullptr;
        call.must_fail();
    }
    ng_memory_trim();
    const int64_t limit = call.size(1 << 20);
    if (limit < 0) call.must_fail();
    const ng_status limit_status = ng_memory_set_cache_limit(limit);
    const ng_status stats_status = ng_memory_stats(out);
    if (limit_status == NG_STATUS_OK && stats_status == NG_STATUS_OK && counters.cache_limit != limit) std::abort();
    return limit_status != NG_STATUS_OK ? limit_status : stats_status;
}

ng_status cpu_features(Call& call) {
    ng_cpu_info info;
    if (call.odd(64)) {
        call.must_fail();
        return ng_cpu_features(nullptr);
    }
    return ng_cpu_features(&info);
}

ng_status threads(Call& call) {
    const uint8_t pick = call.in().ConsumeIntegral<uint8_t>();
    static constexpr int32_t kOdd[] = {0, -1, 1025, std::numeric_limits<int32_t>::min()};
    const int32_t count = pick < 240 ? 1 + pick % 3 : kOdd[pick % 4];
    if (pick >= 240) call.must_fail();
    const ng_status status = ng_threads_set(count);
    const int32_t now = ng_threads_get();
    if (now < 1 || now > 1024 || (status == NG_STATUS_OK && now != count)) std::abort();
    return status;
}

ng_status unary(Call& call) {
    const auto op = static_cast<ng_unary_op>(call.choice(NG_UNARY_COSH + 1));
    const ng_dtype dtype = call.dtype();
    const bool integer_too = op == NG_UNARY_NEG || op == NG_UNARY_ABS || op == NG_UNARY_SIGN;
    const int64_t size = supported(call, dtype, integer_too ? kNumeric : kFloats);
    const int64_t count = call.size(300);
    const int64_t n = call.elements({count}, size);
    void* x = call.contiguous(n, size, Fill::bytes);
    void* out = x != nullptr && call.odd(64) ? x : call.contiguous(n, size, Fill::none);  // in place
    return ng_unary(op, dtype, x, out, count);
}

bool is_comparison(ng_binary_op op) { return op >= NG_BINARY_EQ && op <= NG_BINARY_GE; }

int binary_dtypes(ng_binary_op op) {
    if (is_comparison(op)) return kAll;
    if (op == NG_BINARY_DIV || op == NG_BINARY_ATAN2 || op == NG_BINARY_HYPOT) return kFloats;
    if (op >= NG_BINARY_BITWISE_AND) return 1 << NG_DTYPE_I64;
    return kNumeric;
}

// The contiguous output of an elementwise call, or `a` itself (in place) when the contract allows.
void* elementwise_out(Call& call, const Shape& shape, const Operand& a, int64_t size, bool same_dtype) {
    if (same_dtype && a.contiguous && a.data != nullptr && a.strides != nullptr && call.odd(64)) return a.data;
    return call.contiguous(shape.count, size, Fill::none);
}

ng_status binary(Call& call) {
    const auto op = static_cast<ng_binary_op>(call.choice(NG_BINARY_BITWISE_XOR + 1));
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, binary_dtypes(op));
    const Shape shape = call.shape(size);
    const Operand a = call.strided(shape, size, input_fill(dtype));
    const Operand b = call.strided(shape, size, input_fill(dtype));
    void* out = elementwise_out(call, shape, a, is_comparison(op) ? 1 : size, !is_comparison(op));
    return ng_binary(op, dtype, shape.ndim, shape.pointer, a.data, a.strides, b.data, b.strides, out);
}

ng_status add_scaled(Call& call) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kNumeric);
    const Shape shape = call.shape(size);
    const Operand a = call.strided(shape, size, input_fill(dtype));
    const Operand b = call.strided(shape, size, input_fill(dtype));
    void* alpha = call.contiguous(1, size == 0 ? 1 : size, Fill::bytes);
    void* out = elementwise_out(call, shape, a, size, true);
    return ng_add_scaled(dtype, shape.ndim, shape.pointer, a.data, a.strides, b.data, b.strides, alpha, out);
}

ng_status where(Call& call) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kAll);
    const Shape shape = call.shape(size);
    const Operand cond = call.strided(shape, 1, Fill::bools);
    const Operand a = call.strided(shape, size, input_fill(dtype));
    const Operand b = call.strided(shape, size, input_fill(dtype));
    void* out = call.contiguous(shape.count, size, Fill::none);
    return ng_where(dtype, shape.ndim, shape.pointer, cond.data, cond.strides, a.data, a.strides, b.data, b.strides,
                    out);
}

ng_status copy(Call& call) {
    const ng_dtype src_dtype = call.dtype();
    const ng_dtype dst_dtype = call.dtype();
    const int64_t src_size = ngfuzz::element_size(src_dtype), dst_size = ngfuzz::element_size(dst_dtype);
    const Shape shape = call.shape(src_size > dst_size ? src_size : dst_size);
    const Operand src = call.strided(shape, src_size, input_fill(src_dtype));
    const Operand dst = call.strided(shape, dst_size, Fill::none);
    return ng_copy(shape.ndim, shape.pointer, src_dtype, src.data, src.strides, dst_dtype, dst.data, dst.strides);
}

// ng_reduce is ng_reduce_dim with inner == 1.
ng_status reduce(Call& call, bool with_inner) {
    const auto op = static_cast<ng_reduce_op>(call.choice(NG_REDUCE_MIN + 1));
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kNumeric);
    const int64_t outer = call.size(), length = call.size(), inner = with_inner ? call.size() : 1;
    const int64_t in = call.elements({outer, length, inner}, size);
    const int64_t outputs = call.elements({outer, inner}, size);
    if (op != NG_REDUCE_SUM && length == 0 && outputs > 0) call.must_fail();
    void* x = call.contiguous(in, size, Fill::bytes);
    void* out = call.contiguous(outputs, size, Fill::none);
    // out_indices may be NULL; it is written for MAX and MIN only.
    int64_t* indices = call.odd(128) ? nullptr : static_cast<int64_t*>(call.buffer(outputs * 8, Fill::none));
    if (with_inner) return ng_reduce_dim(op, dtype, x, outer, length, inner, out, indices);
    return ng_reduce(op, dtype, x, outer, length, out, indices);
}

ng_status reduce_rows(Call& call) { return reduce(call, false); }
ng_status reduce_dim(Call& call) { return reduce(call, true); }

ng_status softmax(Call& call, bool backward) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kFloats);
    const int32_t log_softmax = call.choice(2);
    const int64_t rows = call.size(), length = call.size(300);
    const int64_t n = call.elements({rows, length}, size);
    if (rows > 0 && length == 0) call.must_fail();
    void* x = call.contiguous(n, size, Fill::bytes);
    if (!backward) {
        void* out = x != nullptr && call.odd(64) ? x : call.contiguous(n, size, Fill::none);
        return ng_softmax(dtype, log_softmax, x, rows, length, out);
    }
    void* out = call.contiguous(n, size, Fill::bytes);
    void* grad_input = call.contiguous(n, size, Fill::none);
    return ng_softmax_backward(dtype, log_softmax, x, out, rows, length, grad_input);
}

ng_status softmax_forward(Call& call) { return softmax(call, false); }
ng_status softmax_backward(Call& call) { return softmax(call, true); }

ng_status gather(Call& call) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kNumeric);
    const int64_t outer = call.size(), length = call.size(), inner = call.size();
    const int64_t positions = call.elements({outer, inner}, size);
    Shape x_shape;  // outer x length x inner, read through three strides
    x_shape.ndim = 3;
    x_shape.dims = {outer, length, inner, 0};
    x_shape.pointer = x_shape.dims.data();
    x_shape.count = call.elements({outer, length, inner}, size);
    Operand x = call.strided(x_shape, size, Fill::bytes, false);
    const int64_t* index = call.indices(positions, length);
    bool reads_x = false;
    for (int64_t p = 0; index != nullptr && p < positions; ++p) reads_x = reads_x || index[p] >= 0;
    // NULL pointers are errors only where they would be used: x_strides when there are
    // positions, x when an index is not -1.
    if (call.odd(8)) {
        x.strides = nullptr;
        if (positions > 0) call.must_fail();
    }
    if (call.odd(8)) {
        x.data = nullptr;
        if (reads_x) call.must_fail();
    }
    void* out = call.contiguous(positions, size, Fill::none);
    return ng_gather(dtype, outer, length, inner, x.data, x.strides, index, out);
}

ng_status scatter(Call& call) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kNumeric);
    const int64_t outer = call.size(), length = call.size(), inner = call.size();
    const int64_t total = call.elements({outer, length, inner}, size);
    const int64_t positions = call.elements({outer, inner}, size);
    const void* values = call.contiguous(positions, size, Fill::bytes);
    const int64_t* index = call.indices(positions, length);
    void* out = call.contiguous(total, size, Fill::none);
    return ng_scatter(dtype, outer, length, inner, values, index, out);
}

// A leading dimension for a matrix of `cols` columns: mostly cols plus a little, sometimes too
// small (must fail) or huge.
int64_t leading_dimension(Call& call, int64_t cols) {
    const uint8_t pick = call.in().ConsumeIntegral<uint8_t>();
    int64_t ld = 0;
    if (pick < 232) return __builtin_add_overflow(cols, pick % 3, &ld) ? cols : ld;
    if (pick % 3 == 0 && cols > ngfuzz::kInt64Min + 1) {
        call.must_fail();
        return cols - 1 - pick % 2;
    }
    const int64_t huge = pick % 3 == 1 ? int64_t{1} << 62 : ngfuzz::kInt64Max;
    if (huge < cols) call.must_fail();
    return huge;
}

// Elements from the first to one past the last of a stored matrix, -1 (and must fail) when no
// int64 counts its bytes.
int64_t matrix_span(Call& call, int64_t rows, int64_t cols, int64_t ld, int64_t size) {
    if (rows <= 0 || cols <= 0 || ld < cols) return 0;
    if (size == 0) size = 1;  // a dtype outside ng_dtype (the call fails): still bounded
    int64_t span = 0, bytes = 0;
    if (!ngfuzz::multiply(rows - 1, ld, span) || __builtin_add_overflow(span, cols, &span) ||
        !ngfuzz::multiply(span, size, bytes)) {
        call.must_fail();
        return -1;
    }
    return span;
}

struct Matrices {
    int32_t trans_a, trans_b;
    int64_t m, n, k, lda, ldb, ldc;
    int64_t span_a, span_b, span_c;
};

Matrices matrices(Call& call, int64_t size) {
    Matrices s{};
    s.trans_a = call.choice(2);
    s.trans_b = call.choice(2);
    s.m = call.size(40), s.n = call.size(40), s.k = call.size(40);
    if (s.m < 0 || s.n < 0 || s.k < 0) call.must_fail();
    const int64_t a_rows = s.trans_a == 1 ? s.k : s.m, a_cols = s.trans_a == 1 ? s.m : s.k;
    const int64_t b_rows = s.trans_b == 1 ? s.n : s.k, b_cols = s.trans_b == 1 ? s.k : s.n;
    s.lda = leading_dimension(call, a_cols);
    s.ldb = leading_dimension(call, b_cols);
    s.ldc = leading_dimension(call, s.n);
    s.span_a = matrix_span(call, a_rows, a_cols, s.lda, size);
    s.span_b = matrix_span(call, b_rows, b_cols, s.ldb, size);
    s.span_c = matrix_span(call, s.m, s.n, s.ldc, size);
    return s;
}

ng_status gemm(Call& call) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kFloats);
    const Matrices s = matrices(call, size);
    const auto buffer = [&](int64_t span) {
        return call.contiguous(span <= 0 ? 0 : call.elements({span}, size), size, Fill::bytes);
    };
    const void* a = buffer(s.span_a);
    const void* b = buffer(s.span_b);
    void* c = buffer(s.span_c);
    const double alpha = call.in().ConsumeFloatingPoint<double>(), beta = call.in().ConsumeFloatingPoint<double>();
    return ng_gemm(dtype, s.trans_a, s.trans_b, s.m, s.n, s.k, alpha, a, s.lda, b, s.ldb, beta, c, s.ldc);
}

ng_status gemm_batched(Call& call) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kFloats);
    const Matrices s = matrices(call, size);
    const int64_t batch = call.size(4);
    if (batch < 0) call.must_fail();
    // A batch stride: packed, broadcast (0), padded, or negative or huge (must fail / no int64 counts it).
    const auto stride = [&](int64_t span, bool output) {
        const uint8_t pick = call.in().ConsumeIntegral<uint8_t>();
        int64_t value = 0;
        if (span >= 0 && __builtin_add_overflow(span, pick % 3, &value)) value = span;
        if (pick >= 200 && pick < 232) value = 0;
        if (pick >= 232) value = pick % 2 == 0 ? -1 - pick % 3 : int64_t{1} << 61;
        if (value < 0) call.must_fail();
        if (output && batch > 1 && span > 0 && value >= 0 && value < span) call.must_fail();  // C matrices overlap
        return value;
    };
    const int64_t stride_a = stride(s.span_a, false), stride_b = stride(s.span_b, false), stride_c = stride(s.span_c, true);
    // The batch's elements: (batch - 1) * stride + span, counted as the contract does.
    const auto buffer = [&](int64_t span, int64_t step) {
        if (span <= 0 || batch <= 0 || step < 0) {
            void* none = call.contiguous(0, size, Fill::bytes);
            // An empty batch touches nothing, but the matrices are checked as for ng_gemm.
            if (none == nullptr && span > 0) call.may_fail();
            return none;
        }
        int64_t total = 0, bytes = 0;
        if (!ngfuzz::multiply(batch - 1, step, total) || __builtin_add_overflow(total, span, &total) ||
            !ngfuzz::multiply(total, size, bytes)) {
            call.must_fail();
            return call.contiguous(0, size, Fill::bytes);
        }
        return call.contiguous(call.elements({total}, size), size, Fill::bytes);
    };
    const void* a = buffer(s.span_a, stride_a);
    const void* b = buffer(s.span_b, stride_b);
    void* c = buffer(s.span_c, stride_c);
    const double alpha = call.in().ConsumeFloatingPoint<double>(), beta = call.in().ConsumeFloatingPoint<double>();
    return ng_gemm_batched(dtype, s.trans_a, s.trans_b, s.m, s.n, s.k, batch, alpha, a, s.lda, stride_a, b, s.ldb,
                           stride_b, beta, c, s.ldc, stride_c);
}

ng_status columns(Call& call, bool to_columns) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kFloats);
    const int64_t images = call.size(3), channels = call.size(4), groups = call.size(3);
    const int64_t in_h = plane_size(call), in_w = plane_size(call), out_h = plane_size(call), out_w = plane_size(call);
    const ng_window2d* w = window(call);
    if (groups < 1) call.must_fail();
    else if (channels >= 0 && channels % groups != 0) call.must_fail();
    const int64_t image = call.elements({images, channels, in_h, in_w}, size);
    const int64_t taps = w == nullptr ? 1 : call.elements({w->kernel_h, w->kernel_w}, 1);
    const int64_t column = call.elements({images, channels, taps, out_h, out_w}, size);
    if (to_columns) {
        const void* from = call.contiguous(image, size, Fill::bytes);
        return ng_im2col(dtype, images, channels, groups, in_h, in_w, w, out_h, out_w, from,
                         call.contiguous(column, size, Fill::none));
    }
    const void* from = call.contiguous(column, size, Fill::bytes);
    return ng_col2im(dtype, images, channels, groups, in_h, in_w, w, out_h, out_w, from,
                     call.contiguous(image, size, Fill::none));
}

ng_status im2col(Call& call) { return columns(call, true); }
ng_status col2im(Call& call) { return columns(call, false); }

// The sizes every pooling function takes: planes, the input plane and the output plane.
struct Planes {
    int64_t planes, in_h, in_w, out_h, out_w, in_count, out_count;
};

Planes planes(Call& call, int64_t size) {
    Planes p{};
    p.planes = call.size(4);
    p.in_h = plane_size(call), p.in_w = plane_size(call), p.out_h = plane_size(call), p.out_w = plane_size(call);
    p.in_count = call.elements({p.planes, p.in_h, p.in_w}, size);
    p.out_count = call.elements({p.planes, p.out_h, p.out_w}, size);
    return p;
}

ng_status max_pool(Call& call) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kFloats);
    const ng_window2d* w = window(call);
    const Planes p = planes(call, size);
    const void* input = call.contiguous(p.in_count, size, Fill::bytes);
    void* output = call.contiguous(p.out_count, size, Fill::none);
    int64_t* indices = call.odd(64) ? nullptr : static_cast<int64_t*>(call.buffer(p.out_count * 8, Fill::none));
    return ng_max_pool2d(dtype, p.planes, p.in_h, p.in_w, w, p.out_h, p.out_w, input, output, indices);
}

ng_status max_pool_backward(Call& call) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kFloats);
    const Planes p = planes(call, size);
    const void* grad_output = call.contiguous(p.out_count, size, Fill::bytes);
    const int64_t* indices = call.indices(p.out_count, p.in_h < 0 || p.in_w < 0 ? 0 : p.in_count / (p.planes > 0 ? p.planes : 1));
    void* grad_input = call.contiguous(p.in_count, size, Fill::none);
    return ng_max_pool2d_backward(dtype, p.planes, p.in_h, p.in_w, p.out_h, p.out_w, grad_output, indices, grad_input);
}

ng_status avg_pool(Call& call, bool backward) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kFloats);
    const ng_window2d* w = window(call, false);  // average pooling has no dilation
    const int32_t count_include_pad = call.choice(2);
    const int64_t divisor_override = call.size(3);
    if (divisor_override < 0) call.must_fail();
    const Planes p = planes(call, size);
    const void* from = call.contiguous(backward ? p.out_count : p.in_count, size, Fill::bytes);
    void* to = call.contiguous(backward ? p.in_count : p.out_count, size, Fill::none);
    if (backward) {
        return ng_avg_pool2d_backward(dtype, p.planes, p.in_h, p.in_w, w, p.out_h, p.out_w, count_include_pad,
                                      divisor_override, from, to);
    }
    return ng_avg_pool2d(dtype, p.planes, p.in_h, p.in_w, w, p.out_h, p.out_w, count_include_pad, divisor_override,
                         from, to);
}

ng_status avg_pool_forward(Call& call) { return avg_pool(call, false); }
ng_status avg_pool_backward(Call& call) { return avg_pool(call, true); }

ng_status adaptive_avg_pool(Call& call, bool backward) {
    const ng_dtype dtype = call.dtype();
    const int64_t size = supported(call, dtype, kFloats);
    const Planes p = planes(call, size);
    if (p.out_count > 0 && (p.in_h == 0 || p.in_w == 0)) call.must_fail();
    const void* from = call.contiguous(backward ? p.out_count : p.in_count, size, Fill::bytes);
    void* to = call.contiguous(backward ? p.in_count : p.out_count, size, Fill::none);
    if (backward) return ng_adaptive_avg_pool2d_backward(dtype, p.planes, p.in_h, p.in_w, p.out_h, p.out_w, from, to);
    return ng_adaptive_avg_pool2d(dtype, p.planes, p.in_h, p.in_w, p.out_h, p.out_w, from, to);
}

ng_status adaptive_forward(Call& call) { return adaptive_avg_pool(call, false); }
ng_status adaptive_backward(Call& call) { return adaptive_avg_pool(call, true); }

// ---- The table ------------------------------------------------------------------------------------

constexpr uint32_t bit(ng_status status) {
    switch (status) {
        case NG_STATUS_OK: return 1u << 0;
        case NG_STATUS_NULL_POINTER: return 1u << 1;
        case NG_STATUS_INVALID_ARGUMENT: return 1u << 2;
        case NG_STATUS_INVALID_SIZE: return 1u << 3;
        case NG_STATUS_SHAPE_MISMATCH: return 1u << 4;
        case NG_STATUS_UNSUPPORTED_DTYPE: return 1u << 5;
        case NG_STATUS_OUT_OF_MEMORY: return 1u << 6;
        case NG_STATUS_INTERNAL: return 1u << 7;
    }
    return 1u << 8;
}

constexpr uint32_t statuses(std::initializer_list<ng_status> list) {
    uint32_t bits = bit(NG_STATUS_OK);
    for (ng_status status : list) bits |= bit(status);
    return bits;
}

struct Entry {
    const char* name;      // the export whose name prefixes a failure's message
    ng_status (*call)(Call&);
    uint32_t documented;   // the statuses its header comment lists
};

constexpr ng_status kNull = NG_STATUS_NULL_POINTER, kArg = NG_STATUS_INVALID_ARGUMENT, kSize = NG_STATUS_INVALID_SIZE,
                    kShape = NG_STATUS_SHAPE_MISMATCH, kDtype = NG_STATUS_UNSUPPORTED_DTYPE,
                    kMemory = NG_STATUS_OUT_OF_MEMORY;

const Entry kEntries[] = {
    {"ng_status_to_string", status_and_version, statuses({})},
    {"ng_storage_alloc", storage, statuses({kNull, kSize, kMemory})},
    {"ng_memory_", memory, statuses({kNull, kSize})},
    {"ng_cpu_features", cpu_features, statuses({kNull})},
    {"ng_threads_set", threads, statuses({kArg})},
    {"ng_unary", unary, statuses({kArg, kDtype, kSize, kNull})},
    {"ng_binary", binary, statuses({kArg, kDtype, kSize, kNull})},
    {"ng_add_scaled", add_scaled, statuses({kArg, kDtype, kSize, kNull})},
    {"ng_where", where, statuses({kArg, kDtype, kSize, kNull})},
    {"ng_copy", copy, statuses({kArg, kSize, kNull})},
    {"ng_reduce", reduce_rows, statuses({kArg, kDtype, kSize, kNull})},
    {"ng_reduce_dim", reduce_dim, statuses({kArg, kDtype, kSize, kNull})},
    {"ng_softmax", softmax_forward, statuses({kArg, kDtype, kSize, kNull})},
    {"ng_softmax_backward", softmax_backward, statuses({kArg, kDtype, kSize, kNull})},
    {"ng_gather", gather, statuses({kArg, kDtype, kSize, kNull})},
    {"ng_scatter", scatter, statuses({kArg, kDtype, kSize, kNull})},
    {"ng_gemm", gemm, statuses({kArg, kDtype, kSize, kShape, kNull})},
    {"ng_gemm_batched", gemm_batched, statuses({kArg, kDtype, kSize, kShape, kNull})},
    {"ng_im2col", im2col, statuses({kDtype, kNull, kSize, kArg, kShape})},
    {"ng_col2im", col2im, statuses({kDtype, kNull, kSize, kArg, kShape})},
    {"ng_max_pool2d", max_pool, statuses({kDtype, kNull, kSize, kArg})},
    {"ng_max_pool2d_backward", max_pool_backward, statuses({kDtype, kNull, kSize, kArg})},
    {"ng_avg_pool2d", avg_pool_forward, statuses({kDtype, kNull, kSize, kArg})},
    {"ng_avg_pool2d_backward", avg_pool_backward, statuses({kDtype, kNull, kSize, kArg})},
    // "the other errors as for ng_im2col": NG_STATUS_INVALID_ARGUMENT for a dtype outside ng_dtype
    {"ng_adaptive_avg_pool2d", adaptive_forward, statuses({kArg, kDtype, kNull, kSize, kShape})},
    {"ng_adaptive_avg_pool2d_backward", adaptive_backward, statuses({kArg, kDtype, kNull, kSize, kShape})},
};

const char* expectation_text(ngfuzz::Expect expect) {
    return expect == ngfuzz::Expect::ok ? "success" : expect == ngfuzz::Expect::error ? "an error" : "either";
}

[[noreturn]] void contract_broken(const Entry& entry, ngfuzz::Expect expect, ng_status status, const char* what) {
    std::fprintf(stderr, "%s broke its contract: %s (expected %s, got %s, message \"%s\")\n", entry.name, what,
                 expectation_text(expect), ng_status_to_string(status), ng_last_error_message());
    std::abort();
}

void check(const Entry& entry, ngfuzz::Expect expect, ng_status status) {
    if ((entry.documented & bit(status)) == 0) contract_broken(entry, expect, status, "a status its comment does not list");
    if (expect == ngfuzz::Expect::ok && status != NG_STATUS_OK) contract_broken(entry, expect, status, "a valid call failed");
    if (expect == ngfuzz::Expect::error && status == NG_STATUS_OK) contract_broken(entry, expect, status, "an invalid call succeeded");
    if (status != NG_STATUS_OK && std::strncmp(ng_last_error_message(), entry.name, std::strlen(entry.name)) != 0)
        contract_broken(entry, expect, status, "the message does not name the function");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    // A few calls per input, so that state one leaves (threads, cache limit) meets the next.
    for (int calls = 0; calls < 4 && in.remaining_bytes() > 0; ++calls) {
        const Entry& entry = kEntries[in.ConsumeIntegralInRange<size_t>(0, std::size(kEntries) - 1)];
        Call call(in);
        try {
            const ng_status status = entry.call(call);
            check(entry, call.expectation(), status);
        } catch (const ngfuzz::Skip&) {
        }
    }
    return 0;
}
