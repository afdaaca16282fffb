namespace NativeGrad;

// C# 14's user-defined compound assignment: on a tensor variable, `x += y` is the in-place x.Add_(y),
// exactly as Python's `x += y` is x.add_(y). So `W -= lr * W.Grad!` under Autograd.NoGrad() updates
// the parameter's storage (every alias of W sees it, W.Version goes up), and outside it raises
// PyTorch's "a leaf Variable that requires grad is being used in an in-place operation.". Write
// `x = x + y` for a new tensor.
//
// Where C# does not call these (the language's rules, not a choice made here):
// - a foreach iteration variable is read-only, so `foreach (var p in ps) p -= ...` does not
//   compile (CS1656); write `p.Sub_(...)` there (or index: `ps[i] -= ...` on an array or list);
// - on a property (`layer.Weight -= ...`) C# uses the static operator and the setter, i.e.
//   rebinds; a get-only property does not compile (CS0200); write `layer.Weight.Sub_(...)`;
// - code compiled with C# 13 or older sees only the static operators: `x += y` rebinds there.
public sealed partial class Tensor
{
    /// <summary><c>x += other</c>: adds in place, broadcasting <paramref name="other"/> (<see cref="Add_(Tensor)"/>).</summary>
    public void operator +=(Tensor other) => Add_(other);

    /// <summary><c>x += s</c>: adds the scalar in place (<see cref="Add_(double)"/>).</summary>
    public void operator +=(double s) => Add_(s);

    /// <summary><c>x += s</c> with an integer scalar: an int64 tensor stays exact (<see cref="Add_(long)"/>).</summary>
    public void operator +=(long s) => Add_(s);

    /// <summary><c>x -= other</c>: subtracts in place, broadcasting <paramref name="other"/> (<see cref="Sub_(Tensor)"/>).</summary>
    public void operator -=(Tensor other) => Sub_(other);

    /// <summary><c>x -= s</c>: subtracts the scalar in place (<see cref="Sub_(double)"/>).</summary>
    public void operator -=(double s) => Sub_(s);

    /// <summary><c>x -= s</c> with an integer scalar (<see cref="Sub_(long)"/>).</summary>
    public void operator -=(long s) => Sub_(s);

    /// <summary><c>x *= other</c>: multiplies in place, broadcasting <paramref name="other"/> (<see cref="Mul_(Tensor)"/>).</summary>
    public void operator *=(Tensor other) => Mul_(other);

    /// <summary><c>x *= s</c>: multiplies by the scalar in place (<see cref="Mul_(double)"/>).</summary>
    public void operator *=(double s) => Mul_(s);

    /// <summary><c>x *= s</c> with an integer scalar (<see cref="Mul_(long)"/>).</summary>
    public void operator *=(long s) => Mul_(s);

    /// <summary><c>x /= other</c>: true division in place, so an integer tensor throws (<see cref="Div_(Tensor)"/>).</summary>
    public void operator /=(Tensor other) => Div_(other);

    /// <summary><c>x /= s</c>: divides by the scalar in place (<see cref="Div_(double)"/>).</summary>
    public void operator /=(double s) => Div_(s);

    /// <summary><c>x /= s</c> with an integer scalar; true division, as in PyTorch (<see cref="Div_(long)"/>).</summary>
    public void operator /=(long s) => Div_(s);
}
