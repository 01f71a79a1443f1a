namespace Wav2Vec2Sharp.Onnx.Export;

/// <summary>Symmetric int8 quantization of a MatMul weight, one scale per output channel (column), zero point 0.</summary>
internal static class Int8Weights
{
    /// <summary>
    /// Quantizes a row-major <c>[rows = in, columns = out]</c> weight: <c>scale[c] = max|w[:, c]| / 127</c>,
    /// <c>q = round(w / scale)</c> (ties to even) in [-127, 127]. An all-zero column gets scale 1.
    /// </summary>
    public static (sbyte[] Values, float[] Scales) PerOutputChannel(float[] weight, int rows, int columns)
    {
        if (weight.Length != (long)rows * columns)
            throw new ArgumentException($"a [{rows}, {columns}] weight needs {(long)rows * columns} values, got {weight.Length}");
        var scales = new float[columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                scales[c] = MathF.Max(scales[c], MathF.Abs(weight[r * columns + c]));
        }
        for (int c = 0; c < columns; c++)
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        var values = new sbyte[weight.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                values[r * columns + c] = (sbyte)Math.Clamp(MathF.Round(weight[r * columns + c] / scales[c], MidpointRounding.ToEven), -127f, 127f);
        }
        return (values, scales);
    }

    /// <summary>
    /// Quantizes a row-major weight whose first axis is the output channel (a conv weight <c>[out, in, kernel]</c> seen as
    /// <c>[out, in · kernel]</c>), one symmetric scale per row, as <see cref="PerOutputChannel"/> does per column.
    /// </summary>
    public static (sbyte[] Values, float[] Scales) PerRow(float[] weight, int rows, int columns)
    {
        var transposed = new float[weight.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                transposed[c * rows + r] = weight[r * columns + c];
        }
        var (values, scales) = PerOutputChannel(transposed, columns, rows);
        var back = new sbyte[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                back[r * columns + c] = values[c * rows + r];
        }
        return (back, scales);
    }
}
