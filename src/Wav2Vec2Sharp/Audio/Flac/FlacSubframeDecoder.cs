namespace Wav2Vec2Sharp.Audio.Flac;

/// <summary>Thrown by the FLAC decoder for data that breaks the format; the message is the problem alone.</summary>
internal sealed class FlacFormatException(string problem) : Exception(problem);

/// <summary>Decodes one FLAC subframe: CONSTANT, VERBATIM, FIXED (orders 0-4) or LPC (orders 1-32), with wasted bits.</summary>
internal static class FlacSubframeDecoder
{
    /// <summary>
    /// Decodes a subframe of <paramref name="output"/>.Length samples, each <paramref name="bitsPerSample"/> bits wide
    /// (the frame's sample size, plus one for a side channel).
    /// </summary>
    public static void Decode(FlacBitReader reader, int bitsPerSample, Span<long> output)
    {
        if (reader.ReadBit())
            throw new FlacFormatException("corrupt subframe header (padding bit set)");
        int type = (int)reader.ReadBits(6);
        int wasted = 0;
        if (reader.ReadBit())
            wasted = reader.ReadUnary() + 1;
        if (wasted >= bitsPerSample)
            throw new FlacFormatException($"corrupt subframe header ({wasted} wasted bits in {bitsPerSample}-bit samples)");
        int bps = bitsPerSample - wasted;

        if (type == 0)
        {
            output.Fill(reader.ReadSigned(bps));
        }
        else if (type == 1)
        {
            for (int i = 0; i < output.Length; i++)
                output[i] = reader.ReadSigned(bps);
        }
        else if (type is >= 8 and <= 12)
        {
            DecodeFixed(reader, bps, type - 8, output);
        }
        else if (type >= 32)
        {
            DecodeLpc(reader, bps, type - 31, output);
        }
        else
        {
            throw new FlacFormatException($"corrupt subframe header (reserved subframe type {type})");
        }

        if (wasted > 0)
        {
            for (int i = 0; i < output.Length; i++)
                output[i] <<= wasted;
        }
    }

    private static void ReadWarmUp(FlacBitReader reader, int bps, int order, Span<long> output)
    {
        if (order > output.Length)
            throw new FlacFormatException($"corrupt subframe (predictor order {order} exceeds block size {output.Length})");
        for (int i = 0; i < order; i++)
            output[i] = reader.ReadSigned(bps);
    }

    private static void DecodeFixed(FlacBitReader reader, int bps, int order, Span<long> s)
    {
        ReadWarmUp(reader, bps, order, s);
        ReadResidual(reader, order, s);
        switch (order)
        {
            case 1:
                for (int i = 1; i < s.Length; i++)
                    s[i] += s[i - 1];
                break;
            case 2:
                for (int i = 2; i < s.Length; i++)
                    s[i] += 2 * s[i - 1] - s[i - 2];
                break;
            case 3:
                for (int i = 3; i < s.Length; i++)
                    s[i] += 3 * (s[i - 1] - s[i - 2]) + s[i - 3];
                break;
            case 4:
                for (int i = 4; i < s.Length; i++)
                    s[i] += 4 * (s[i - 1] + s[i - 3]) - 6 * s[i - 2] - s[i - 4];
                break;
        }
    }

    private static void DecodeLpc(FlacBitReader reader, int bps, int order, Span<long> s)
    {
        ReadWarmUp(reader, bps, order, s);
        int precision = (int)reader.ReadBits(4) + 1;
        if (precision == 16)
            throw new FlacFormatException("corrupt LPC subframe (invalid coefficient precision)");
        int shift = (int)reader.ReadSigned(5);
        if (shift < 0)
            throw new FlacFormatException($"corrupt LPC subframe (negative quantisation shift {shift})");
        Span<long> coefs = stackalloc long[order];
        for (int j = 0; j < order; j++)
            coefs[j] = reader.ReadSigned(precision);
        ReadResidual(reader, order, s);

        for (int i = order; i < s.Length; i++)
        {
            long sum = 0;
            var history = s.Slice(i - order, order);
            for (int j = 0; j < order; j++)
                sum += coefs[j] * history[order - 1 - j];
            s[i] += sum >> shift;
        }
    }

    /// <summary>Reads the residual into <paramref name="s"/>[order..], to which the prediction is then added.</summary>
    private static void ReadResidual(FlacBitReader reader, int order, Span<long> s)
    {
        int method = (int)reader.ReadBits(2);
        if (method > 1)
            throw new FlacFormatException($"corrupt residual (reserved coding method {method})");
        int paramBits = method == 0 ? 4 : 5;
        int escape = (1 << paramBits) - 1;
        int partitionOrder = (int)reader.ReadBits(4);
        int partitions = 1 << partitionOrder;
        int blockSize = s.Length;
        if ((blockSize & (partitions - 1)) != 0 || (blockSize >> partitionOrder) < order)
            throw new FlacFormatException($"corrupt residual (partition order {partitionOrder} does not fit block size {blockSize} and predictor order {order})");
        int partitionSize = blockSize >> partitionOrder;

        int i = order;
        for (int p = 0; p < partitions; p++)
        {
            int end = (p + 1) * partitionSize;
            int k = (int)reader.ReadBits(paramBits);
            if (k == escape)
            {
                int raw = (int)reader.ReadBits(5);
                for (; i < end; i++)
                    s[i] = reader.ReadSigned(raw);
            }
            else
            {
                for (; i < end; i++)
                    s[i] = reader.ReadRice(k);
            }
        }
    }
}
