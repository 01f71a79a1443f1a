namespace Wav2Vec2Sharp.Onnx.Protobuf;

/// <summary>ONNX tensor element types (onnx.proto <c>TensorProto.DataType</c>).</summary>
internal enum OnnxType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
}

/// <summary>
/// Builds an ONNX <c>GraphProto</c> node by node and wraps it in a <c>ModelProto</c>. Field numbers are those of
/// onnx.proto (IR version 8); every value gets a unique name from the hint it is given.
/// </summary>
internal sealed class OnnxGraph(string name)
{
    private readonly List<ProtoMessage> _nodes = [];
    private readonly List<ProtoMessage> _initializers = [];
    private readonly List<ProtoMessage> _inputs = [];
    private readonly List<ProtoMessage> _outputs = [];
    private readonly HashSet<string> _names = [];
    private readonly Dictionary<string, string> _constants = [];

    /// <summary>Number of weight values stored, for the export report.</summary>
    public long InitializerBytes { get; private set; }

    /// <summary>A name not used yet, made from <paramref name="hint"/>.</summary>
    public string Unique(string hint)
    {
        var candidate = hint;
        for (int i = 1; !_names.Add(candidate); i++)
            candidate = $"{hint}_{i}";
        return candidate;
    }

    public string Initializer(string hint, ReadOnlySpan<float> values, params long[] dims) => Initializer(hint, OnnxType.Float, values, dims);

    public string Initializer(string hint, ReadOnlySpan<long> values, params long[] dims) => Initializer(hint, OnnxType.Int64, values, dims);

    public string Initializer(string hint, ReadOnlySpan<sbyte> values, params long[] dims) => Initializer(hint, OnnxType.Int8, values, dims);

    /// <summary>A scalar float constant, shared by every node that asks for the same one.</summary>
    public string Scalar(string hint, float value) =>
        Shared($"{hint}:f:{value:R}", () => Initializer(hint, [value]));

    /// <summary>A 1-D int64 constant (axes, shapes, slice bounds), shared by every node that asks for the same one.</summary>
    public string Longs(string hint, params long[] values) =>
        Shared($"{hint}:l:{string.Join(',', values)}", () => Initializer(hint, values, values.Length));

    private string Shared(string key, Func<string> create)
    {
        if (!_constants.TryGetValue(key, out var existing))
            _constants[key] = existing = create();
        return existing;
    }

    /// <summary>Adds a node with one output; returns the output's name.</summary>
    public string Node(string op, string[] inputs, string outputHint, params OnnxAttribute[] attributes) =>
        Node(op, inputs, [outputHint], attributes)[0];

    /// <summary>Adds a node; an empty input name is an omitted optional input. Returns the outputs' names.</summary>
    public string[] Node(string op, string[] inputs, string[] outputHints, params OnnxAttribute[] attributes)
    {
        var outputs = outputHints.Select(Unique).ToArray();
        var node = new ProtoMessage();
        foreach (var input in inputs)
            node.String(1, input);
        foreach (var output in outputs)
            node.String(2, output);
        node.String(3, Unique($"{op}_node")).String(4, op);
        foreach (var attribute in attributes)
            node.Message(5, attribute.ToProto());
        _nodes.Add(node);
        return outputs;
    }

    /// <summary>Declares a graph input; a dimension is a fixed size (long) or a symbolic name (string).</summary>
    public string Input(string inputName, OnnxType type, params object[] dims)
    {
        _names.Add(inputName);
        _inputs.Add(ValueInfo(inputName, type, dims));
        return inputName;
    }

    /// <summary>Exposes <paramref name="value"/> as a graph output named <paramref name="outputName"/>.</summary>
    public void Output(string value, string outputName, OnnxType type, params object[] dims)
    {
        if (value != outputName)
            Node("Identity", [value], outputName);
        _outputs.Add(ValueInfo(outputName, type, dims));
    }

    /// <summary>The <c>ModelProto</c>: IR version 8, the default domain at <paramref name="opset"/>, and string metadata.</summary>
    public ProtoMessage ToModel(int opset, string producerVersion, IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new ProtoMessage();
        foreach (var node in _nodes)
            graph.Message(1, node);
        graph.String(2, name);
        foreach (var initializer in _initializers)
            graph.Message(5, initializer);
        foreach (var input in _inputs)
            graph.Message(11, input);
        foreach (var output in _outputs)
            graph.Message(12, output);

        var model = new ProtoMessage()
            .Int64(1, 8)
            .String(2, "Wav2Vec2Sharp")
            .String(3, producerVersion)
            .Message(8, new ProtoMessage().String(1, "").Int64(2, opset))
            .Message(7, graph);
        foreach (var (key, value) in metadata)
            model.Message(14, new ProtoMessage().String(1, key).String(2, value));
        return model;
    }

    private string Initializer<T>(string hint, OnnxType type, ReadOnlySpan<T> values, long[] dims) where T : unmanaged
    {
        var tensorName = Unique(hint);
        var tensor = new ProtoMessage();
        foreach (var dim in dims)
            tensor.Int64(1, dim);
        tensor.Int64(2, (long)type).String(8, tensorName).RawData(9, values);
        _initializers.Add(tensor);
        InitializerBytes += System.Runtime.InteropServices.Marshal.SizeOf<T>() * (long)values.Length;
        return tensorName;
    }

    private static ProtoMessage ValueInfo(string valueName, OnnxType type, object[] dims)
    {
        var shape = new ProtoMessage();
        foreach (var dim in dims)
        {
            var dimension = dim switch
            {
                string symbol => new ProtoMessage().String(2, symbol),
                _ => new ProtoMessage().Int64(1, Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture)),
            };
            shape.Message(1, dimension);
        }
        var tensorType = new ProtoMessage().Int64(1, (long)type).Message(2, shape);
        return new ProtoMessage().String(1, valueName).Message(2, new ProtoMessage().Message(1, tensorType));
    }
}

/// <summary>A node attribute (onnx.proto <c>AttributeProto</c>): an int, a float or a list of ints.</summary>
internal readonly record struct OnnxAttribute(string Name, long? Int = null, float? Float = null, long[]? Ints = null)
{
    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);

    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);

    public static OnnxAttribute Of(string name, long[] values) => new(name, Ints: values);

    public ProtoMessage ToProto()
    {
        var proto = new ProtoMessage().String(1, Name);
        if (Float is { } f)
            proto.Float(2, f).Int64(20, 1);
        else if (Int is { } i)
            proto.Int64(3, i).Int64(20, 2);
        else
        {
            foreach (var value in Ints!)
                proto.Int64(8, value);
            proto.Int64(20, 7);
        }
        return proto;
    }
}
