namespace NativeGrad;

// torch.einsum, computed as PyTorch computes it so that values, gradients and the recorded node
// names agree: every operand is aligned to one dimension order (output labels, then contracted
// ones), and the operands are then contracted left to right, each pair through one batched GEMM.
public sealed partial class Tensor
{
    private const int EinsumLabels = 52; // A-Z then a-z
    private const int Ellipsis = EinsumLabels;

    /// <summary>
    /// Einstein summation over <paramref name="operands"/> (torch.einsum): "ij,jk->ik" is a matrix
    /// product, "ii->i" a diagonal, "...ij->...ji" a batched transpose; without "->" the output is
    /// the ellipsis followed by the labels that appear once, in alphabetical order. Contractions
    /// run on the GEMM.
    /// </summary>
    public static Tensor Einsum(string equation, params Tensor[] operands)
    {
        ArgumentNullException.ThrowIfNull(equation);
        ArgumentNullException.ThrowIfNull(operands);
        ThrowIfAnyNull(operands);
        if (operands.Length == 0) throw new ArgumentException("einsum(): must provide at least one operand");
        int arrow = equation.IndexOf("->", StringComparison.Ordinal);
        var labels = ParseEinsumOperands(arrow < 0 ? equation : equation[..arrow], operands.Length);

        var labelCount = new int[EinsumLabels];
        int ellipsisDims = 0;
        for (int i = 0; i < operands.Length; i++)
        {
            int named = labels[i].Count(l => l != Ellipsis);
            bool hasEllipsis = named != labels[i].Count;
            foreach (var l in labels[i]) if (l != Ellipsis) labelCount[l]++;
            if (hasEllipsis) ellipsisDims = Math.Max(ellipsisDims, operands[i].Dim - named);
            if (hasEllipsis ? named > operands[i].Dim : named != operands[i].Dim)
                throw new ArgumentException($"einsum(): the number of subscripts in the equation ({named}) " +
                    (hasEllipsis ? "is more than" : "does not match") + $" the number of dimensions ({operands[i].Dim}) for operand {i}" +
                    (hasEllipsis ? "" : " and no ellipsis was given"));
        }

        // Where each label goes in the aligned order: output dimensions first, then contracted ones.
        var position = Enumerable.Repeat(-1, EinsumLabels).ToArray();
        int next = 0, ellipsisAt = 0;
        bool ellipsisInOutput = false;
        if (arrow < 0)
        {
            next = ellipsisDims;
            ellipsisInOutput = true;
            for (int l = 0; l < EinsumLabels; l++)
                if (labelCount[l] == 1) position[l] = next++;
        }
        else ParseEinsumOutput(equation, arrow, labelCount, position, ellipsisDims, ref next, ref ellipsisAt, ref ellipsisInOutput);
        int outputDims = next;
        if (!ellipsisInOutput)
        {
            ellipsisAt = next;
            next += ellipsisDims;
        }
        for (int l = 0; l < EinsumLabels; l++)
            if (labelCount[l] > 0 && position[l] == -1) position[l] = next++;
        int alignedDims = next;

        var aligned = new List<Tensor>(operands.Length);
        var labelSize = Enumerable.Repeat(1L, EinsumLabels).ToArray();
        var ellipsisSize = Enumerable.Repeat(1L, ellipsisDims).ToArray();
        var operandsWithExtent = new int[alignedDims]; // operands whose aligned dimension has size != 1
        for (int i = 0; i < operands.Length; i++)
        {
            var op = operands[i];
            var permutation = Enumerable.Repeat(-1, alignedDims).ToArray();
            int dim = 0;
            foreach (var l in labels[i])
            {
                if (l == Ellipsis)
                {
                    int covered = operands[i].Dim - (labels[i].Count - 1);
                    for (int j = ellipsisDims - covered; j < ellipsisDims; j++)
                    {
                        long size = op.shape[dim];
                        if (size != 1)
                        {
                            if (ellipsisSize[j] != 1 && ellipsisSize[j] != size)
                                throw new ArgumentException($"einsum(): dimension {dim} covered by ellipsis in operand {i}has size {size} which does not broadcast with previously seen ellipsis with size {ellipsisSize[j]} for the respective dimension");
                            ellipsisSize[j] = size;
                            operandsWithExtent[ellipsisAt + j]++;
                        }
                        permutation[ellipsisAt + j] = dim++;
                    }
                }
                else if (permutation[position[l]] == -1)
                {
                    long size = op.shape[dim];
                    if (size != 1)
                    {
                        if (labelSize[l] != 1 && labelSize[l] != size)
                            throw new ArgumentException($"einsum(): subscript {EinsumLabel(l)} has size {size} for operand {i} which does not broadcast with previously seen size {labelSize[l]}");
                        labelSize[l] = size;
                        operandsWithExtent[position[l]]++;
                    }
                    permutation[position[l]] = dim++;
                }
                else
                {
                    // A repeated label: keep the diagonal, in the place of the label's first dimension.
                    int first = permutation[position[l]];
                    if (op.shape[dim] != op.shape[first])
                        throw new ArgumentException($"einsum(): subscript {EinsumLabel(l)} is repeated for operand {i} but the sizes don't match, {op.shape[dim]} != {op.shape[first]}");
                    op = op.Diagonal(0, first, dim).Movedim(-1, first);
                }
            }
            for (int p = 0; p < alignedDims; p++)
                if (permutation[p] == -1)
                {
                    op = op.Unsqueeze(dim);
                    permutation[p] = dim++;
                }
            aligned.Add(op.Permute(permutation));
        }

        while (aligned.Count > 1)
        {
            Tensor a = aligned[0], b = aligned[1];
            aligned.RemoveRange(0, 2);
            // A contracted dimension is summed as soon as no later operand has it.
            var contracted = new List<int>();
            var aOnly = new List<long>();
            var bOnly = new List<long>();
            for (int d = outputDims; d < alignedDims; d++)
            {
                if (a.shape[d] != 1 && b.shape[d] != 1)
                {
                    if (--operandsWithExtent[d] == 1)
                    {
                        contracted.Add(d);
                        operandsWithExtent[d] = 0;
                    }
                }
                else if (operandsWithExtent[d] == 1)
                {
                    if (a.shape[d] != 1) { aOnly.Add(d); operandsWithExtent[d] = 0; }
                    else if (b.shape[d] != 1) { bOnly.Add(d); operandsWithExtent[d] = 0; }
                }
            }
            if (aOnly.Count > 0) a = a.Sum([.. aOnly], keepDim: true);
            if (bOnly.Count > 0) b = b.Sum([.. bOnly], keepDim: true);
            aligned.Insert(0, SumProductPair(a, b, contracted));
        }

        var result = aligned[0];
        if (alignedDims == outputDims) return result;
        if (operands.Length > 1) return result.View(result.shape[..outputDims]);
        return result.Sum(Enumerable.Range(outputDims, alignedDims - outputDims).Select(d => (long)d).ToArray());
    }

    private static List<int>[] ParseEinsumOperands(string lhs, int operandCount)
    {
        var labels = Enumerable.Range(0, operandCount).Select(_ => new List<int>()).ToArray();
        int current = 0;
        bool ellipsisSeen = false;
        for (int i = 0; i < lhs.Length; i++)
        {
            char c = lhs[i];
            if (c == ' ') continue;
            if (c == '.')
            {
                if (ellipsisSeen) throw new ArgumentException($"einsum(): found '.' for operand {current} for which an ellipsis was already found");
                if (!(i + 2 < lhs.Length && lhs[++i] == '.' && lhs[++i] == '.'))
                    throw new ArgumentException($"einsum(): found '.' for operand {current} that is not part of any ellipsis");
                labels[current].Add(Ellipsis);
                ellipsisSeen = true;
            }
            else if (c == ',')
            {
                if (++current >= operandCount) throw new ArgumentException("einsum(): fewer operands were provided than specified in the equation");
                ellipsisSeen = false;
            }
            else labels[current].Add(EinsumSubscript(c, i));
        }
        if (current != operandCount - 1) throw new ArgumentException("einsum(): more operands were provided than specified in the equation");
        return labels;
    }

    private static void ParseEinsumOutput(string equation, int arrow, int[] labelCount, int[] position, int ellipsisDims,
                                          ref int next, ref int ellipsisAt, ref bool ellipsisInOutput)
    {
        var rhs = equation[(arrow + 2)..];
        for (int i = 0; i < rhs.Length; i++)
        {
            char c = rhs[i];
            if (c == ' ') continue;
            if (c == '.')
            {
                if (ellipsisInOutput) throw new ArgumentException("einsum(): found '.' for output but an ellipsis (...) was already found");
                if (!(i + 2 < rhs.Length && rhs[++i] == '.' && rhs[++i] == '.'))
                    throw new ArgumentException("einsum(): found '.' for output that is not part of any ellipsis (...)");
                ellipsisAt = next;
                next += ellipsisDims;
                ellipsisInOutput = true;
                continue;
            }
            int l = EinsumSubscript(c, arrow + 2 + i);
            if (labelCount[l] == 0 || position[l] != -1)
                throw new ArgumentException($"einsum(): output subscript {c}" +
                    (position[l] > -1 ? " appears more than once in the output" : " does not appear in the equation for any input operand"));
            position[l] = next++;
        }
    }

    private static int EinsumSubscript(char c, int index) =>
        c is >= 'A' and <= 'Z' ? c - 'A'
        : c is >= 'a' and <= 'z' ? c - 'a' + 26
        : throw new ArgumentException($"einsum(): invalid subscript given at index {index} in the equation string, subscripts must be in [a-zA-Z]");

    private static char EinsumLabel(int subscript) => (char)(subscript < 26 ? 'A' + subscript : 'a' + subscript - 26);

    // (left * right).Sum(contracted, keepDim: true) for operands aligned to the same dimensions, as
    // one batched GEMM: dimensions in both operands and the output are the batch, those in one of
    // them the rows or columns, the contracted ones the inner dimension.
    private static Tensor SumProductPair(Tensor left, Tensor right, List<int> contracted)
    {
        if (contracted.Count == 0) return left * right;
        int dims = left.Dim;
        var batch = new List<int>();
        var leftOnly = new List<int>();
        var rightOnly = new List<int>();
        long batchSize = 1, rows = 1, cols = 1, inner = 1;
        for (int d = 0; d < dims; d++)
        {
            bool inLeft = left.shape[d] != 1, inRight = right.shape[d] != 1;
            if (contracted.Contains(d))
            {
                if (inLeft && inRight)
                {
                    if (left.shape[d] != right.shape[d]) throw new ArgumentException("non-broadcast dimensions must match");
                    inner *= left.shape[d];
                }
                else if (inLeft) left = left.Sum([d], keepDim: true);
                else if (inRight) right = right.Sum([d], keepDim: true);
            }
            else if (inLeft && inRight)
            {
                if (left.shape[d] != right.shape[d]) throw new ArgumentException("non-broadcast dimensions must match");
                batch.Add(d);
                batchSize *= left.shape[d];
            }
            else if (inLeft) { leftOnly.Add(d); rows *= left.shape[d]; }
            else { rightOnly.Add(d); cols *= right.shape[d]; }
        }
        long[] outShape = [.. batch.Select(d => left.shape[d]), .. leftOnly.Select(d => left.shape[d]),
                           .. contracted.Select(_ => 1L), .. rightOnly.Select(d => right.shape[d])];
        int[] leftOrder = [.. batch, .. leftOnly, .. contracted, .. rightOnly];
        int[] rightOrder = [.. batch, .. contracted, .. rightOnly, .. leftOnly];
        var outOrder = new int[dims];
        int k = 0;
        foreach (var d in leftOrder) outOrder[d] = k++;
        var product = left.Permute(leftOrder).Reshape(batchSize, rows, inner)
            .Bmm(right.Permute(rightOrder).Reshape(batchSize, inner, cols));
        return product.View(outShape).Permute(outOrder);
    }
}
