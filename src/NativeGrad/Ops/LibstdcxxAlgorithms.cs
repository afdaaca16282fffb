namespace NativeGrad;

/// <summary>A strict weak order on the positions of one line (torch's KeyValueCompAsc / Desc).</summary>
internal interface IPositionOrder
{
    bool Less(long a, long b);
}

/// <summary>
/// libstdc++'s std::sort, std::nth_element and std::partial_sort, step for step (introsort with
/// median-of-three pivots and a final insertion sort over 16-element runs, introselect, heap
/// select). PyTorch's CPU sort (stable=False) and topk call these, and they are not stable: the
/// order they leave equal keys in is a function of the algorithm, so matching PyTorch's indices at
/// ties means running the same one. Positions are moved, keys compared through the order.
/// </summary>
internal static class LibstdcxxAlgorithms
{
    private const int Threshold = 16; // _S_threshold

    /// <summary>std::sort(first, last, comp).</summary>
    public static void Sort<TOrder>(Span<long> a, TOrder order) where TOrder : IPositionOrder
    {
        if (a.Length == 0) return;
        IntrosortLoop(a, 0, a.Length, Log2(a.Length) * 2, order);
        if (a.Length > Threshold)
        {
            InsertionSort(a, 0, Threshold, order);
            for (int i = Threshold; i < a.Length; i++) UnguardedLinearInsert(a, i, order);
        }
        else InsertionSort(a, 0, a.Length, order);
    }

    /// <summary>std::nth_element(first, first + nth, last, comp).</summary>
    public static void NthElement<TOrder>(Span<long> a, int nth, TOrder order) where TOrder : IPositionOrder
    {
        int first = 0, last = a.Length;
        if (first == last || nth == last) return;
        int depth = Log2(last - first) * 2;
        while (last - first > 3)
        {
            if (depth == 0)
            {
                HeapSelect(a, first, nth + 1, last, order);
                (a[first], a[nth]) = (a[nth], a[first]);
                return;
            }
            depth--;
            int cut = PartitionPivot(a, first, last, order);
            if (cut <= nth) first = cut;
            else last = cut;
        }
        InsertionSort(a, first, last, order);
    }

    /// <summary>std::partial_sort(first, first + middle, last, comp).</summary>
    public static void PartialSort<TOrder>(Span<long> a, int middle, TOrder order) where TOrder : IPositionOrder
    {
        HeapSelect(a, 0, middle, a.Length, order);
        SortHeap(a, 0, middle, order);
    }

    private static int Log2(int n) => 31 - int.LeadingZeroCount(n);

    private static void IntrosortLoop<TOrder>(Span<long> a, int first, int last, int depth, TOrder order) where TOrder : IPositionOrder
    {
        while (last - first > Threshold)
        {
            if (depth == 0)
            {
                HeapSelect(a, first, last, last, order);
                SortHeap(a, first, last, order);
                return;
            }
            depth--;
            int cut = PartitionPivot(a, first, last, order);
            IntrosortLoop(a, cut, last, depth, order);
            last = cut;
        }
    }

    private static void InsertionSort<TOrder>(Span<long> a, int first, int last, TOrder order) where TOrder : IPositionOrder
    {
        if (first == last) return;
        for (int i = first + 1; i < last; i++)
        {
            if (order.Less(a[i], a[first]))
            {
                long value = a[i];
                a.Slice(first, i - first).CopyTo(a.Slice(first + 1));
                a[first] = value;
            }
            else UnguardedLinearInsert(a, i, order);
        }
    }

    private static void UnguardedLinearInsert<TOrder>(Span<long> a, int last, TOrder order) where TOrder : IPositionOrder
    {
        long value = a[last];
        int next = last - 1;
        while (order.Less(value, a[next]))
        {
            a[last] = a[next];
            last = next--;
        }
        a[last] = value;
    }

    // __unguarded_partition_pivot: the median of first + 1, the middle and last - 1 moves to first.
    private static int PartitionPivot<TOrder>(Span<long> a, int first, int last, TOrder order) where TOrder : IPositionOrder
    {
        int mid = first + (last - first) / 2;
        MoveMedianToFirst(a, first, first + 1, mid, last - 1, order);
        return UnguardedPartition(a, first + 1, last, first, order);
    }

    private static void MoveMedianToFirst<TOrder>(Span<long> a, int result, int x, int y, int z, TOrder order) where TOrder : IPositionOrder
    {
        int median;
        if (order.Less(a[x], a[y]))
            median = order.Less(a[y], a[z]) ? y : order.Less(a[x], a[z]) ? z : x;
        else
            median = order.Less(a[x], a[z]) ? x : order.Less(a[y], a[z]) ? z : y;
        (a[result], a[median]) = (a[median], a[result]);
    }

    private static int UnguardedPartition<TOrder>(Span<long> a, int first, int last, int pivot, TOrder order) where TOrder : IPositionOrder
    {
        while (true)
        {
            while (order.Less(a[first], a[pivot])) first++;
            last--;
            while (order.Less(a[pivot], a[last])) last--;
            if (first >= last) return first;
            (a[first], a[last]) = (a[last], a[first]);
            first++;
        }
    }

    // ---- heaps (std::__heap_select, __adjust_heap, __push_heap, __pop_heap, sort_heap) ----

    private static void HeapSelect<TOrder>(Span<long> a, int first, int middle, int last, TOrder order) where TOrder : IPositionOrder
    {
        MakeHeap(a, first, middle, order);
        for (int i = middle; i < last; i++)
            if (order.Less(a[i], a[first])) PopHeap(a, first, middle, i, order);
    }

    private static void SortHeap<TOrder>(Span<long> a, int first, int last, TOrder order) where TOrder : IPositionOrder
    {
        while (last - first > 1)
        {
            last--;
            PopHeap(a, first, last, last, order);
        }
    }

    private static void MakeHeap<TOrder>(Span<long> a, int first, int last, TOrder order) where TOrder : IPositionOrder
    {
        int length = last - first;
        if (length < 2) return;
        for (int parent = (length - 2) / 2; ; parent--)
        {
            AdjustHeap(a, first, parent, length, a[first + parent], order);
            if (parent == 0) return;
        }
    }

    private static void PopHeap<TOrder>(Span<long> a, int first, int last, int result, TOrder order) where TOrder : IPositionOrder
    {
        long value = a[result];
        a[result] = a[first];
        AdjustHeap(a, first, 0, last - first, value, order);
    }

    private static void AdjustHeap<TOrder>(Span<long> a, int first, int hole, int length, long value, TOrder order) where TOrder : IPositionOrder
    {
        int top = hole, child = hole;
        while (child < (length - 1) / 2)
        {
            child = 2 * (child + 1);
            if (order.Less(a[first + child], a[first + child - 1])) child--;
            a[first + hole] = a[first + child];
            hole = child;
        }
        if ((length & 1) == 0 && child == (length - 2) / 2)
        {
            child = 2 * (child + 1);
            a[first + hole] = a[first + child - 1];
            hole = child - 1;
        }
        for (int parent = (hole - 1) / 2; hole > top && order.Less(a[first + parent], value); parent = (hole - 1) / 2)
        {
            a[first + hole] = a[first + parent];
            hole = parent;
        }
        a[first + hole] = value;
    }
}
