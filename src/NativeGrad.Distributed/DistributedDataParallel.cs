using NativeGrad.Nn;

namespace NativeGrad.Distributed;

/// <summary>
/// Data-parallel training (torch.nn.parallel.DistributedDataParallel): every rank holds the same
/// model and runs it on its own shard of the batch; during backward the gradients are averaged
/// over the ranks, so after <c>loss.Backward()</c> every rank holds the same <see cref="Tensor.Grad"/>
/// (the gradient of the loss averaged over the global batch, when the shards are equal and the
/// loss a mean) and the same optimizer step keeps the replicas identical.
/// </summary>
/// <remarks>
/// <para>
/// At construction rank 0's parameters and buffers are broadcast to the others. The parameters
/// are grouped, last registered first (roughly the order backward reaches them), into buckets of
/// about <c>bucketCapBytes</c> (25 MiB, PyTorch's default). A hook after each gradient's
/// accumulation counts a bucket's gradients; the moment a bucket is complete its gradients are
/// copied into one flat buffer and its all-reduce starts, without waiting, so communication
/// overlaps the rest of backward. Buckets start strictly in order, the same on every rank, as MPI
/// requires. When the last gradient arrives, backward waits for the all-reduces, divides by the
/// world size and writes the averages back into each <see cref="Tensor.Grad"/>.
/// </para>
/// <para>
/// Every parameter that requires grad must get a gradient in every backward pass (PyTorch's
/// default, <c>find_unused_parameters=False</c>); otherwise the next <see cref="Forward"/> throws.
/// One backward per forward; gradient accumulation over several backward passes is not supported.
/// </para>
/// </remarks>
public sealed class DistributedDataParallel : Layer
{
    private readonly ProcessGroup group;
    private readonly Bucket[] buckets;
    private readonly Dictionary<Tensor, int> bucketOf = new(ReferenceEqualityComparer.Instance);
    private int nextToStart, readyTotal, parameterCount;

    /// <summary>Wraps <paramref name="module"/> for data-parallel training over <paramref name="group"/>.</summary>
    public DistributedDataParallel(Layer module, ProcessGroup group, long bucketCapBytes = 25L << 20)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCapBytes, 1);
        this.group = group;
        Module = RegisterModule("module", module);
        foreach (var parameter in module.Parameters()) group.Broadcast(parameter);
        foreach (var (_, buffer) in module.NamedBuffers()) group.Broadcast(buffer);

        var trainable = module.Parameters().Where(p => p.RequiresGrad).Reverse().ToArray();
        buckets = [.. Pack(trainable, bucketCapBytes)];
        for (int b = 0; b < buckets.Length; b++)
            foreach (var parameter in buckets[b].Parameters)
            {
                bucketOf[parameter] = b;
                parameter.RegisterPostAccumulateGradHook(OnGradientReady);
            }
        parameterCount = trainable.Length;
    }

    /// <summary>The wrapped module (its state dict keys start with "module.", as PyTorch's).</summary>
    public Layer Module { get; }

    /// <summary>The number of gradient buckets.</summary>
    public int BucketCount => buckets.Length;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (readyTotal != 0)
            throw new InvalidOperationException(
                "Expected to have finished reduction in the prior iteration before starting a new one: " +
                $"{parameterCount - readyTotal} of {parameterCount} parameters received no gradient in the last backward pass. " +
                "Every parameter that requires grad must take part in computing the loss.");
        return Module.Forward(input);
    }

    private void OnGradientReady(Tensor parameter)
    {
        var bucket = buckets[bucketOf[parameter]];
        if (++bucket.Ready == bucket.Parameters.Length)
            while (nextToStart < buckets.Length && buckets[nextToStart].Ready == buckets[nextToStart].Parameters.Length)
                buckets[nextToStart++].Start();
        if (++readyTotal < parameterCount) return;
        foreach (var b in buckets) b.Finish(group);
        nextToStart = readyTotal = 0;
    }

    private static IEnumerable<Bucket> Pack(Tensor[] parameters, long capBytes)
    {
        var current = new List<Tensor>();
        long bytes = 0;
        foreach (var parameter in parameters)
        {
            long size = parameter.NumElements * parameter.DType.SizeOf();
            if (current.Count > 0 && (bytes + size > capBytes || current[0].DType != parameter.DType))
            {
                yield return new Bucket([.. current]);
                current.Clear();
                bytes = 0;
            }
            current.Add(parameter);
            bytes += size;
        }
        if (current.Count > 0) yield return new Bucket([.. current]);
    }

    /// <summary>Parameters of one dtype whose gradients travel together in one flat buffer.</summary>
    private sealed unsafe class Bucket
    {
        private readonly Tensor flat;
        private IntPtr request;

        public Bucket(Tensor[] parameters)
        {
            Parameters = parameters;
            // Native memory even when small: MPI writes into it after AllReduceStart returns.
            flat = Tensor.EmptyUnmoving([parameters.Sum(p => p.NumElements)], parameters[0].DType);
            // The all-reduce writes into it while backward goes on: it must outlive any TensorScope.
            TensorScope.Release(flat);
        }

        public Tensor[] Parameters { get; }

        public int Ready { get; set; }

        public void Start()
        {
            using (Autograd.NoGrad())
            {
                long offset = 0;
                foreach (var parameter in Parameters)
                {
                    flat.Narrow(0, offset, parameter.NumElements).Copy_(parameter.Grad!.Reshape(-1));
                    offset += parameter.NumElements;
                }
            }
            // The pointer outlives its lease: `flat` is never disposed and stays reachable through this bucket.
            IntPtr started;
            using (var data = flat.Lease())
                fixed (byte* dataPtr = data)
                    MpiNative.Check(MpiNative.AllReduceStart(dataPtr, flat.NumElements, (int)flat.DType, 0, &started));
            request = started;
        }

        public void Finish(ProcessGroup group)
        {
            var pending = request;
            request = IntPtr.Zero;
            Ready = 0;
            MpiNative.Check(MpiNative.Wait(pending, group.Timeout.TotalSeconds));
            using (Autograd.NoGrad())
            {
                flat.Div_(group.WorldSize);
                long offset = 0;
                foreach (var parameter in Parameters)
                {
                    parameter.Grad!.Copy_(flat.Narrow(0, offset, parameter.NumElements).Reshape([.. parameter.Shape]));
                    offset += parameter.NumElements;
                }
            }
        }
    }
}
