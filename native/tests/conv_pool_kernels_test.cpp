// Every tier's window kernels (im2col, col2im, the pools and their gradients) against
// straightforward references written from the definitions here, on geometries with padding,
// stride, dilation and windows that run past the plane (ceil mode, "same" padding). The kernels
// only copy, compare and add in a fixed order, so every tier must match the reference exactly.
// Then a few results worked out by PyTorch 1.13, on every tier.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/conv_pool.h"
#include "test_support.h"

namespace {

using ngtest::same_value;

struct Case {
    int64_t images, channels, in_h, in_w, out_h, out_w;
    ng_window2d window;  // kernel, stride, pad, dilation (h, w each)
    int64_t groups = 1;  // for im2col / col2im
};

// Output sizes chosen by hand, some past what floor mode gives, so windows reach over every edge.
const Case kCases[] = {
    {2, 3, 7, 6, 5, 4, {3, 3, 1, 1, 0, 0, 1, 1}},
    {1, 2, 7, 6, 7, 6, {3, 3, 1, 1, 1, 1, 1, 1}},
    {2, 1, 7, 6, 4, 3, {3, 3, 2, 2, 1, 1, 1, 1}},
    {1, 3, 7, 6, 5, 4, {2, 2, 1, 1, 0, 0, 2, 2}},
    {1, 1, 8, 7, 4, 4, {2, 2, 2, 2, 0, 0, 1, 1}},   // ceil mode: the last column window is half outside
    {2, 2, 8, 7, 4, 6, {3, 2, 2, 1, 1, 0, 1, 1}},
    {1, 1, 5, 5, 5, 5, {2, 2, 1, 1, 0, 0, 1, 1}},   // "same" padding for an even kernel: extra on the far side
    {1, 2, 1, 9, 3, 2, {1, 4, 1, 3, 1, 2, 1, 2}},
    {3, 1, 4, 4, 3, 3, {3, 3, 2, 2, 1, 1, 1, 1}},
    {1, 1, 3, 3, 0, 2, {1, 1, 1, 1, 0, 0, 1, 1}},   // no output rows
    {2, 4, 7, 6, 5, 4, {3, 3, 1, 1, 0, 0, 1, 1}, 2},
    {1, 6, 5, 5, 3, 3, {3, 2, 2, 2, 1, 1, 1, 2}, 3},
};

struct Pos {
    bool inside;
    int64_t index;  // ih * in_w + iw within the plane
};

Pos position(const Case& c, int64_t oh, int64_t ow, int64_t i, int64_t j) {
    const ng_window2d& w = c.window;
    const int64_t ih = oh * w.stride_h - w.pad_h + i * w.dilation_h;
    const int64_t iw = ow * w.stride_w - w.pad_w + j * w.dilation_w;
    return {ih >= 0 && ih < c.in_h && iw >= 0 && iw < c.in_w, ih * c.in_w + iw};
}

ng::Geometry2d geometry(const Case& c, bool pool) {
    return {pool ? c.images * c.channels : c.images, pool ? 1 : c.channels, pool ? 1 : c.groups, c.in_h, c.in_w,
            c.out_h, c.out_w, c.window};
}

int64_t planes(const Case& c) { return c.images * c.channels; }
int64_t in_count(const Case& c) { return planes(c) * c.in_h * c.in_w; }
int64_t out_count(const Case& c) { return planes(c) * c.out_h * c.out_w; }
int64_t taps(const Case& c) { return c.window.kernel_h * c.window.kernel_w; }

template <class T>
std::vector<T> im2col_reference(const Case& c, const std::vector<T>& image) {
    std::vector<T> columns(static_cast<size_t>(planes(c) * taps(c) * c.out_h * c.out_w));
    size_t e = 0;
    const int64_t group_channels = c.channels / c.groups;
    for (int64_t n = 0; n < c.images; ++n)
    for (int64_t g = 0; g < c.groups; ++g)
    for (int64_t i = 0; i < c.window.kernel_h; ++i)
    for (int64_t j = 0; j < c.window.kernel_w; ++j)
    for (int64_t k = 0; k < group_channels; ++k)
    for (int64_t oh = 0; oh < c.out_h; ++oh)
    for (int64_t ow = 0; ow < c.out_w; ++ow, ++e) {
                        const int64_t p = n * c.channels + g * group_channels + k;
                        const Pos at = position(c, oh, ow, i, j);
                        columns[e] = at.inside ? image[p * c.in_h * c.in_w + at.index] : T(0);
                    }
    return columns;
}

template <class T>
std::vector<T> col2im_reference(const Case& c, const std::vector<T>& columns) {
    std::vector<T> image(static_cast<size_t>(in_count(c)), T(0));
    size_t e = 0;
    const int64_t group_channels = c.channels / c.groups;
    for (int64_t n = 0; n < c.images; ++n)
    for (int64_t g = 0; g < c.groups; ++g)
    for (int64_t i = 0; i < c.window.kernel_h; ++i)
    for (int64_t j = 0; j < c.window.kernel_w; ++j)
    for (int64_t k = 0; k < group_channels; ++k)
    for (int64_t oh = 0; oh < c.out_h; ++oh)
    for (int64_t ow = 0; ow < c.out_w; ++ow, ++e) {
                        const int64_t p = n * c.channels + g * group_channels + k;
                        const Pos at = position(c, oh, ow, i, j);
                        if (at.inside) image[p * c.in_h * c.in_w + at.index] += columns[e];
                    }
    return image;
}

template <class T>
void max_pool_reference(const Case& c, const std::vector<T>& input, std::vector<T>& output, std::vector<int64_t>& indices) {
    size_t o = 0;
    for (int64_t p = 0; p < planes(c); ++p)
        for (int64_t oh = 0; oh < c.out_h; ++oh)
            for (int64_t ow = 0; ow < c.out_w; ++ow, ++o) {
                T best = -std::numeric_limits<T>::infinity();
                int64_t index = -1;
                for (int64_t i = 0; i < c.window.kernel_h; ++i)
                    for (int64_t j = 0; j < c.window.kernel_w; ++j) {
                        const Pos at = position(c, oh, ow, i, j);
                        if (!at.inside) continue;
                        if (index == -1) index = at.index;
                        const T value = input[p * c.in_h * c.in_w + at.index];
                        if (value > best || std::isnan(value)) {
                            best = value;
                            index = at.index;
                        }
                    }
                output[o] = best;
                indices[o] = index;
            }
}

// The sum of the covered inputs and PyTorch's divisor: the window size clipped to the padded
// plane (count_include_pad), or the number of inputs covered.
template <class T>
std::vector<T> avg_pool_reference(const Case& c, const std::vector<T>& input, ng::AvgDivisor d) {
    std::vector<T> output(static_cast<size_t>(out_count(c)));
    size_t o = 0;
    for (int64_t p = 0; p < planes(c); ++p)
        for (int64_t oh = 0; oh < c.out_h; ++oh)
            for (int64_t ow = 0; ow < c.out_w; ++ow, ++o) {
                T sum = T(0);
                int64_t covered = 0, padded = 0;
                for (int64_t i = 0; i < c.window.kernel_h; ++i)
                    for (int64_t j = 0; j < c.window.kernel_w; ++j) {
                        const int64_t ih = oh * c.window.stride_h - c.window.pad_h + i;
                        const int64_t iw = ow * c.window.stride_w - c.window.pad_w + j;
                        if (ih < c.in_h + c.window.pad_h && iw < c.in_w + c.window.pad_w) ++padded;
                        const Pos at = position(c, oh, ow, i, j);
                        if (!at.inside) continue;
                        sum += input[p * c.in_h * c.in_w + at.index];
                        ++covered;
                    }
                const int64_t divisor = d.divisor_override > 0 ? d.divisor_override : d.count_include_pad ? padded : covered;
                output[o] = covered == 0 ? T(0) : sum / static_cast<T>(divisor);
            }
    return output;
}

class WindowKernels : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }
    const ng::ConvPoolTable& table() const { return ng::conv_pool_kernels(GetParam()); }
};

template <class T>
void expect_same(const std::vector<T>& expected, const std::vector<T>& actual, const char* what, size_t case_index) {
    ASSERT_EQ(expected.size(), actual.size());
    for (size_t i = 0; i < expected.size(); ++i)
        ASSERT_TRUE(same_value(expected[i], actual[i])) << what << " case " << case_index << " element " << i << ": "
                                                        << actual[i] << " vs " << expected[i];
}

template <class T>
void check_columns(const ng::ConvPoolTable& table) {
    for (size_t n = 0; n < std::size(kCases); ++n) {
        const Case& c = kCases[n];
        const auto image = ngtest::random_values<T>(static_cast<size_t>(in_count(c)), 11 + n);
        std::vector<T> columns(static_cast<size_t>(planes(c) * taps(c) * c.out_h * c.out_w), T(99));
        table.conv<T>().im2col(geometry(c, false), image.data(), columns.data());
        expect_same(im2col_reference(c, image), columns, "im2col", n);

        const auto gradient = ngtest::random_values<T>(columns.size(), 23 + n);
        std::vector<T> back(static_cast<size_t>(in_count(c)), T(99));
        table.conv<T>().col2im(geometry(c, false), gradient.data(), back.data());
        // The kernel adds each input's contributions in the same order as the reference.
        expect_same(col2im_reference(c, gradient), back, "col2im", n);
    }
}

TEST_P(WindowKernels, Im2ColAndCol2ImMatchTheirDefinitionsF32) { check_columns<float>(table()); }
TEST_P(WindowKernels, Im2ColAndCol2ImMatchTheirDefinitionsF64) { check_columns<double>(table()); }

template <class T>
void check_max_pool(const ng::ConvPoolTable& table) {
    for (size_t n = 0; n < std::size(kCases); ++n) {
        const Case& c = kCases[n];
        auto input = ngtest::values_with_specials<T>(static_cast<size_t>(in_count(c)), 31 + n);
        for (size_t i = 0; i < input.size(); i += 4) input[i] = T(1);  // ties: the first one wins
        std::vector<T> expected(static_cast<size_t>(out_count(c))), output(expected.size(), T(99));
        std::vector<int64_t> expected_indices(expected.size()), indices(expected.size(), 99);
        max_pool_reference(c, input, expected, expected_indices);
        table.pool<T>().max_pool(geometry(c, true), input.data(), output.data(), indices.data());
        expect_same(expected, output, "max_pool", n);
        ASSERT_EQ(expected_indices, indices) << "max_pool indices, case " << n;

        const auto gradient = ngtest::random_values<T>(output.size(), 41 + n);
        std::vector<T> back(static_cast<size_t>(in_count(c)), T(99)), expected_back(back.size(), T(0));
        for (size_t o = 0; o < gradient.size(); ++o) {
            const int64_t plane = static_cast<int64_t>(o) / (c.out_h * c.out_w);
            if (indices[o] >= 0) expected_back[plane * c.in_h * c.in_w + indices[o]] += gradient[o];
        }
        table.pool<T>().max_pool_backward(geometry(c, true), gradient.data(), indices.data(), back.data());
        expect_same(expected_back, back, "max_pool_backward", n);
    }
}

TEST_P(WindowKernels, MaxPoolMatchesItsDefinitionF32) { check_max_pool<float>(table()); }
TEST_P(WindowKernels, MaxPoolMatchesItsDefinitionF64) { check_max_pool<double>(table()); }

template <class T>
void check_avg_pool(const ng::ConvPoolTable& table) {
    for (size_t n = 0; n < std::size(kCases); ++n) {
        Case c = kCases[n];
        c.window.dilation_h = c.window.dilation_w = 1;
        for (const ng::AvgDivisor d : {ng::AvgDivisor{true, 0}, ng::AvgDivisor{false, 0}, ng::AvgDivisor{true, 5}}) {
            const auto input = ngtest::random_values<T>(static_cast<size_t>(in_count(c)), 51 + n);
            std::vector<T> output(static_cast<size_t>(out_count(c)), T(99));
            table.pool<T>().avg_pool(geometry(c, true), d, input.data(), output.data());
            expect_same(avg_pool_reference(c, input, d), output, "avg_pool", n);

            // The gradient is the adjoint: <avg(x), g> == <x, avg_backward(g)> for every x and g.
            const auto gradient = ngtest::random_values<T>(output.size(), 61 + n);
            std::vector<T> back(input.size(), T(99));
            table.pool<T>().avg_pool_backward(geometry(c, true), d, gradient.data(), back.data());
            double forward = 0, adjoint = 0;
            for (size_t i = 0; i < output.size(); ++i) forward += double(output[i]) * double(gradient[i]);
            for (size_t i = 0; i < input.size(); ++i) adjoint += double(input[i]) * double(back[i]);
            ASSERT_NEAR(forward, adjoint, 1e-4) << "avg_pool_backward case " << n;
        }
    }
}

TEST_P(WindowKernels, AvgPoolMatchesItsDefinitionF32) { check_avg_pool<float>(table()); }
TEST_P(WindowKernels, AvgPoolMatchesItsDefinitionF64) { check_avg_pool<double>(table()); }

TEST_P(WindowKernels, AdaptiveAvgPoolAveragesItsWindowsAndIsItsGradientsAdjoint) {
    for (const auto [in_h, in_w, out_h, out_w] : {std::array<int64_t, 4>{8, 7, 3, 2}, {5, 5, 5, 5}, {3, 4, 6, 7}, {7, 6, 1, 1}}) {
        const ng::Geometry2d g{2, 1, 1, in_h, in_w, out_h, out_w, {1, 1, 1, 1, 0, 0, 1, 1}};
        const auto input = ngtest::random_values<double>(static_cast<size_t>(2 * in_h * in_w), 71);
        std::vector<double> output(static_cast<size_t>(2 * out_h * out_w));
        table().pool<double>().adaptive_avg_pool(g, input.data(), output.data());
        for (int64_t p = 0; p < 2; ++p)
            for (int64_t oh = 0; oh < out_h; ++oh)
                for (int64_t ow = 0; ow < out_w; ++ow) {
                    const int64_t h0 = oh * in_h / out_h, h1 = ((oh + 1) * in_h + out_h - 1) / out_h;
                    const int64_t w0 = ow * in_w / out_w, w1 = ((ow + 1) * in_w + out_w - 1) / out_w;
                    double sum = 0;
                    for (int64_t ih = h0; ih < h1; ++ih)
                        for (int64_t iw = w0; iw < w1; ++iw) sum += input[(p * in_h + ih) * in_w + iw];
                    ASSERT_DOUBLE_EQ(output[(p * out_h + oh) * out_w + ow], sum / double((h1 - h0) * (w1 - w0)));
                }
        const auto gradient = ngtest::random_values<double>(output.size(), 72);
        std::vector<double> back(input.size(), 99.0);
        table().pool<double>().adaptive_avg_pool_backward(g, gradient.data(), back.data());
        double forward = 0, adjoint = 0;
        for (size_t i = 0; i < output.size(); ++i) forward += output[i] * gradient[i];
        for (size_t i = 0; i < input.size(); ++i) adjoint += input[i] * back[i];
        ASSERT_NEAR(forward, adjoint, 1e-12);
    }
}

// torch.nn.functional.avg_pool2d(torch.arange(1., 10).view(1, 1, 3, 3), 2, 2, 1, ceil_mode=True)
// and the same of arange(1., 17) as 4 x 4 with kernel 3, as PyTorch 1.13 prints them.
TEST_P(WindowKernels, AvgPoolDividesLikePyTorch) {
    const std::vector<float> nine{1, 2, 3, 4, 5, 6, 7, 8, 9};
    const ng::Geometry2d g{1, 1, 1, 3, 3, 2, 2, {2, 2, 2, 2, 1, 1, 1, 1}};
    std::vector<float> out(4);
    table().pool<float>().avg_pool(g, {true, 0}, nine.data(), out.data());
    EXPECT_EQ(out, (std::vector<float>{0.25f, 1.25f, 2.75f, 7.0f}));
    table().pool<float>().avg_pool(g, {false, 0}, nine.data(), out.data());
    EXPECT_EQ(out, (std::vector<float>{1.0f, 2.5f, 5.5f, 7.0f}));

    std::vector<float> sixteen(16);
    for (int i = 0; i < 16; ++i) sixteen[static_cast<size_t>(i)] = float(i + 1);
    const ng::Geometry2d g3{1, 1, 1, 4, 4, 3, 3, {3, 3, 2, 2, 1, 1, 1, 1}};
    std::vector<float> out9(9);
    table().pool<float>().avg_pool(g3, {true, 0}, sixteen.data(), out9.data());
    const float expected[] = {1.5556f, 3.3333f, 2.0f, 6.3333f, 11.0f, 6.0f, 4.5f, 7.5f, 4.0f};
    for (size_t i = 0; i < 9; ++i) EXPECT_NEAR(out9[i], expected[i], 1e-4) << i;
}

// max_pool2d([[nan, 1], [2, 3]], 2) is nan at 0; max_pool2d([[1, 1], [2, 2]], 2) is 2 at 2.
TEST_P(WindowKernels, MaxPoolPicksNaNAndTheFirstTieLikePyTorch) {
    const ng::Geometry2d g{1, 1, 1, 2, 2, 1, 1, {2, 2, 2, 2, 0, 0, 1, 1}};
    const std::vector<double> with_nan{std::nan(""), 1, 2, 3}, ties{1, 1, 2, 2};
    double value = 0;
    int64_t index = 99;
    table().pool<double>().max_pool(g, with_nan.data(), &value, &index);
    EXPECT_TRUE(std::isnan(value));
    EXPECT_EQ(index, 0);
    table().pool<double>().max_pool(g, ties.data(), &value, &index);
    EXPECT_EQ(value, 2.0);
    EXPECT_EQ(index, 2);
}

INSTANTIATE_TEST_SUITE_P(Tiers, WindowKernels, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

}  // namespace
