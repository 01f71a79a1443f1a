// Writes BannedSymbols.txt: the TorchSharp members that hand libtorch a Scalar nothing keeps alive.
//
// TorchSharp frees a Scalar in its finalizer, and its native calls read a Scalar after the managed code has taken the
// handle. A Scalar made on the way into a call (an implicit conversion, or one TorchSharp makes inside the call, such
// as the alpha of 1 in Tensor + Tensor) is unreachable while libtorch reads it: a garbage collection started by another
// thread can finalize it mid-call, and libtorch then reads freed memory. This lists every public TorchSharp member whose
// IL reaches a method that makes a Scalar, directly, through other TorchSharp methods or through delegates (lambdas),
// plus the implicit conversions themselves, for Microsoft.CodeAnalysis.BannedApiAnalyzers (RS0030). Virtual calls are
// not followed, so the public methods that construct a module whose forward makes Scalars, and the base declarations of
// a listed optimizer step (Optimizer.step), are listed as well.
//
// Usage: dotnet run tools/scalars/list-scalar-temporaries.cs -- PATH/TO/TorchSharp.dll > BannedSymbols.txt
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

if (args.Length != 1) { Console.Error.WriteLine("usage: list-scalar-temporaries.cs PATH/TO/TorchSharp.dll"); return 2; }
using var pe = new PEReader(File.OpenRead(args[0]));
var metadata = pe.GetMetadataReader();
var names = new DocumentationIds(metadata);
var instructions = new InstructionSet();

var scalarType = metadata.TypeDefinitions.Single(t => names.TypeName(t) == "TorchSharp.Scalar");
var scalarConstructors = metadata.GetTypeDefinition(scalarType).GetMethods()
    .Where(m => metadata.GetString(metadata.GetMethodDefinition(m).Name) == ".ctor").ToHashSet();
var callees = metadata.MethodDefinitions.ToDictionary(m => m, m => instructions.Callees(pe, metadata, names, m));

// The makers: Scalar's implicit conversions, the ToScalar extensions, and every other method that constructs a Scalar
// (Tensor.ToScalar, ...).
var makers = metadata.MethodDefinitions.Where(m => IsScalarFactory(m) || callees[m].Overlaps(scalarConstructors)).ToHashSet();
var callers = new Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>>();
foreach (var (caller, targets) in callees)
    foreach (var target in targets)
    {
        if (!callers.TryGetValue(target, out var list)) callers[target] = list = [];
        list.Add(caller);
    }

// Everything that calls a maker, directly or through other methods; a maker itself only returns its Scalar to the caller,
// who may hold it, so only the implicit conversions among the makers are listed.
var reaching = new HashSet<MethodDefinitionHandle>();
var pending = new Queue<MethodDefinitionHandle>(makers);
while (pending.Count > 0)
{
    if (!callers.TryGetValue(pending.Dequeue(), out var list)) continue;
    foreach (var caller in list)
        if (!IsScalarFactory(caller) && reaching.Add(caller)) pending.Enqueue(caller);
}

// Calls that bind to a base declaration reach an override virtually, which the graph does not follow:
// - a module whose forward (its own or inherited) makes Scalars is reached through Module.call, so the public methods
//   that construct one (nn.ELU(), ...) are listed;
// - an optimizer's step is called through Optimizer.step as often as directly, so the base declarations of a listed
//   override are listed too.
var racyModules = metadata.TypeDefinitions.Where(t => InheritsRacy(t, "forward")).ToHashSet();
foreach (var handle in metadata.MethodDefinitions)
{
    bool buildsRacyModule = callees[handle].Any(c => metadata.GetString(metadata.GetMethodDefinition(c).Name) == ".ctor"
        && racyModules.Contains(metadata.GetMethodDefinition(c).GetDeclaringType()));
    if (buildsRacyModule && !racyModules.Contains(metadata.GetMethodDefinition(handle).GetDeclaringType())) reaching.Add(handle);
}
foreach (var handle in reaching.ToList())
    if (metadata.GetString(metadata.GetMethodDefinition(handle).Name) == "step")
        foreach (var overridden in BaseDeclarations(handle))
            reaching.Add(overridden);

const string Conversion = "a temporary Scalar can be finalized while libtorch reads it (see tools/scalars): hold it in a static field or a using local";
const string Internal = "makes a Scalar inside TorchSharp that can be finalized while libtorch reads it (see tools/scalars): use an overload that takes held Scalars, item<T>(), HeldScalars or Wav2Vec2Sharp's AdamW";
var banned = new SortedDictionary<string, string>(StringComparer.Ordinal);
foreach (var handle in makers.Concat(reaching))
{
    var method = metadata.GetMethodDefinition(handle);
    bool conversion = metadata.GetString(method.Name) == "op_Implicit" && method.GetDeclaringType() == scalarType;
    if (!names.IsPublic(method) || (!conversion && !reaching.Contains(handle))) continue;
    banned[names.Of(method)] = conversion ? Conversion : Internal;
}
Console.WriteLine($"// Generated by tools/scalars/list-scalar-temporaries.cs from TorchSharp {ProductVersion(args[0])}; do not edit by hand.");
foreach (var (id, reason) in banned)
    Console.WriteLine($"{id};{reason}");
return 0;

// Whether the type, or a base type in this assembly, declares a reaching method of that name.
bool InheritsRacy(TypeDefinitionHandle type, string name)
{
    for (TypeDefinitionHandle? current = type; current is { IsNil: false } handle; current = BaseTypeOf(handle))
        foreach (var method in metadata.GetTypeDefinition(handle).GetMethods())
            if (metadata.GetString(metadata.GetMethodDefinition(method).Name) == name)
                return reaching.Contains(method);
    return false;
}

TypeDefinitionHandle? BaseTypeOf(TypeDefinitionHandle type)
{
    var baseType = metadata.GetTypeDefinition(type).BaseType;
    if (baseType.IsNil) return null;
    if (baseType.Kind == HandleKind.TypeDefinition) return (TypeDefinitionHandle)baseType;
    if (baseType.Kind != HandleKind.TypeSpecification) return null;
    var instance = metadata.GetBlobReader(metadata.GetTypeSpecification((TypeSpecificationHandle)baseType).Signature);
    if (instance.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
    instance.ReadSignatureTypeCode();
    var generic = instance.ReadTypeHandle();
    return generic.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)generic : null;
}

// The virtual methods of base types in this assembly that a method overrides (same name and parameters).
IEnumerable<MethodDefinitionHandle> BaseDeclarations(MethodDefinitionHandle handle)
{
    var method = metadata.GetMethodDefinition(handle);
    if ((method.Attributes & MethodAttributes.Virtual) == 0) yield break;
    var name = metadata.GetString(method.Name);
    var parameters = string.Join(",", method.DecodeSignature(names, null).ParameterTypes);
    for (var current = BaseTypeOf(method.GetDeclaringType()); current is { IsNil: false } type; current = BaseTypeOf(type))
        foreach (var candidate in metadata.GetTypeDefinition(type).GetMethods())
        {
            var baseMethod = metadata.GetMethodDefinition(candidate);
            if ((baseMethod.Attributes & MethodAttributes.Virtual) != 0 && metadata.GetString(baseMethod.Name) == name
                && string.Join(",", baseMethod.DecodeSignature(names, null).ParameterTypes) == parameters)
                yield return candidate;
        }
}

// Scalar's conversions and the ToScalar extensions make Scalars for their caller to hold: they are makers, not callers at risk.
bool IsScalarFactory(MethodDefinitionHandle handle)
{
    var method = metadata.GetMethodDefinition(handle);
    var type = names.TypeName(method.GetDeclaringType());
    var name = metadata.GetString(method.Name);
    return (type == "TorchSharp.Scalar" && name == "op_Implicit") || (type == "TorchSharp.ScalarExtensionMethods" && name == "ToScalar");
}

static string ProductVersion(string path) =>
    System.Diagnostics.FileVersionInfo.GetVersionInfo(path).ProductVersion?.Split('+')[0] ?? "(unknown version)";

// Decodes method bodies: the methods each one calls, constructs or takes a delegate to (call, callvirt, newobj, ldftn,
// ldvirtftn, all InlineMethod operands).
sealed class InstructionSet
{
    private readonly OpCode[] _oneByte = new OpCode[256], _twoByte = new OpCode[256];

    public InstructionSet()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var opCode = (OpCode)field.GetValue(null)!;
            if (opCode.Size == 1) _oneByte[(byte)opCode.Value] = opCode;
            else _twoByte[(byte)(opCode.Value & 0xFF)] = opCode;
        }
    }

    public HashSet<MethodDefinitionHandle> Callees(PEReader pe, MetadataReader metadata, DocumentationIds names, MethodDefinitionHandle handle)
    {
        var result = new HashSet<MethodDefinitionHandle>();
        var method = metadata.GetMethodDefinition(handle);
        if (method.RelativeVirtualAddress == 0) return result;
        var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
        while (il.RemainingBytes > 0)
        {
            byte first = il.ReadByte();
            var opCode = first == 0xFE ? _twoByte[il.ReadByte()] : _oneByte[first];
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod:
                    if (names.Resolve(MetadataTokens.EntityHandle(il.ReadInt32())) is { } target) result.Add(target);
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget: case OperandType.ShortInlineI: case OperandType.ShortInlineVar: il.ReadByte(); break;
                case OperandType.InlineVar: il.ReadInt16(); break;
                case OperandType.InlineI8: case OperandType.InlineR: il.ReadInt64(); break;
                case OperandType.InlineSwitch: int count = il.ReadInt32(); il.Offset += 4 * count; break;
                default: il.ReadInt32(); break; // branch targets, other tokens, int32 and float32 operands
            }
        }
        return result;
    }
}

// Documentation comment ids ("M:Namespace.Type.Method(ParameterTypes)", "P:Type.Property", "T:Type"), as BannedSymbols.txt wants.
sealed class DocumentationIds(MetadataReader metadata) : ISignatureTypeProvider<string, object?>
{
    public string TypeName(TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        var name = metadata.GetString(type.Name);
        var outer = type.GetDeclaringType();
        return outer.IsNil ? $"{metadata.GetString(type.Namespace)}.{name}" : $"{TypeName(outer)}.{name}";
    }

    public bool IsPublic(MethodDefinition method)
    {
        var access = method.Attributes & MethodAttributes.MemberAccessMask;
        if (access is not (MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem)) return false;
        for (var type = method.GetDeclaringType(); !type.IsNil; type = metadata.GetTypeDefinition(type).GetDeclaringType())
        {
            var definition = metadata.GetTypeDefinition(type);
            var visibility = definition.Attributes & TypeAttributes.VisibilityMask;
            if (metadata.GetString(definition.Name).Contains('<') || visibility is TypeAttributes.NotPublic or TypeAttributes.NestedPrivate or TypeAttributes.NestedAssembly)
                return false;
        }
        return true;
    }

    // The method definition in this assembly that a call token names: directly, through a generic instantiation
    // (MethodSpec), or as a member of a generic type instance (MemberRef on a TypeSpec), matched by name and signature.
    public MethodDefinitionHandle? Resolve(EntityHandle token)
    {
        switch (token.Kind)
        {
            case HandleKind.MethodDefinition:
                return (MethodDefinitionHandle)token;
            case HandleKind.MethodSpecification:
                return Resolve(metadata.GetMethodSpecification((MethodSpecificationHandle)token).Method);
            case HandleKind.MemberReference:
                var reference = metadata.GetMemberReference((MemberReferenceHandle)token);
                if (reference.Parent.Kind != HandleKind.TypeSpecification) return null;
                var instance = metadata.GetBlobReader(metadata.GetTypeSpecification((TypeSpecificationHandle)reference.Parent).Signature);
                if (instance.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
                instance.ReadSignatureTypeCode(); // class or value type
                var generic = instance.ReadTypeHandle();
                if (generic.Kind != HandleKind.TypeDefinition) return null;
                var name = metadata.GetString(reference.Name);
                var parameters = string.Join(",", reference.DecodeMethodSignature(this, null).ParameterTypes);
                foreach (var candidate in metadata.GetTypeDefinition((TypeDefinitionHandle)generic).GetMethods())
                {
                    var method = metadata.GetMethodDefinition(candidate);
                    if (metadata.GetString(method.Name) == name && string.Join(",", method.DecodeSignature(this, null).ParameterTypes) == parameters)
                        return candidate;
                }
                return null;
            default:
                return null;
        }
    }

    public string Of(MethodDefinition method)
    {
        var signature = method.DecodeSignature(this, null);
        var name = metadata.GetString(method.Name);
        var type = TypeName(method.GetDeclaringType());
        if ((method.Attributes & MethodAttributes.SpecialName) != 0 && (name.StartsWith("get_") || name.StartsWith("set_")))
        {
            // a property is named by the property, not its accessor; an indexer with its parameters
            var index = name.StartsWith("get_") ? signature.ParameterTypes : signature.ParameterTypes.RemoveAt(signature.ParameterTypes.Length - 1);
            return $"P:{type}.{name[4..]}{(index.Length == 0 ? "" : $"({string.Join(",", index)})")}";
        }
        var generics = method.GetGenericParameters().Count;
        var arity = generics > 0 ? $"``{generics}" : "";
        var parameters = signature.ParameterTypes.Length == 0 ? "" : $"({string.Join(",", signature.ParameterTypes)})";
        var conversion = name is "op_Implicit" or "op_Explicit" ? $"~{signature.ReturnType}" : "";
        return $"M:{type}.{name.Replace('.', '#')}{arity}{parameters}{conversion}";
    }

    public string GetPrimitiveType(PrimitiveTypeCode code) => code switch
    {
        PrimitiveTypeCode.Boolean => "System.Boolean", PrimitiveTypeCode.Byte => "System.Byte", PrimitiveTypeCode.SByte => "System.SByte",
        PrimitiveTypeCode.Char => "System.Char", PrimitiveTypeCode.Int16 => "System.Int16", PrimitiveTypeCode.UInt16 => "System.UInt16",
        PrimitiveTypeCode.Int32 => "System.Int32", PrimitiveTypeCode.UInt32 => "System.UInt32", PrimitiveTypeCode.Int64 => "System.Int64",
        PrimitiveTypeCode.UInt64 => "System.UInt64", PrimitiveTypeCode.Single => "System.Single", PrimitiveTypeCode.Double => "System.Double",
        PrimitiveTypeCode.String => "System.String", PrimitiveTypeCode.Object => "System.Object", PrimitiveTypeCode.IntPtr => "System.IntPtr",
        PrimitiveTypeCode.UIntPtr => "System.UIntPtr", PrimitiveTypeCode.Void => "System.Void", _ => code.ToString(),
    };
    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte kind) => TypeName(handle);
    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte kind)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        return type.ResolutionScope.Kind == HandleKind.TypeReference
            ? $"{GetTypeFromReference(reader, (TypeReferenceHandle)type.ResolutionScope, kind)}.{name}"
            : $"{reader.GetString(type.Namespace)}.{name}";
    }
    public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte kind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, context);
    public string GetSZArrayType(string element) => element + "[]";
    public string GetArrayType(string element, ArrayShape shape) => $"{element}[{string.Join(",", Enumerable.Repeat("0:", shape.Rank))}]";
    public string GetByReferenceType(string element) => element + "@";
    public string GetPointerType(string element) => element + "*";
    public string GetGenericInstantiation(string generic, ImmutableArray<string> arguments)
    {
        int tick = generic.IndexOf('`');
        return $"{(tick < 0 ? generic : generic[..tick])}{{{string.Join(",", arguments)}}}";
    }
    public string GetGenericTypeParameter(object? context, int index) => "`" + index;
    public string GetGenericMethodParameter(object? context, int index) => "``" + index;
    public string GetFunctionPointerType(MethodSignature<string> signature) => "System.IntPtr";
    public string GetModifiedType(string modifier, string unmodified, bool isRequired) => unmodified;
    public string GetPinnedType(string element) => element;
}
