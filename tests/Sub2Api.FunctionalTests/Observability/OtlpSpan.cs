using System.Buffers.Binary;
using System.Text;

namespace Sub2Api.FunctionalTests.Observability;

/// <summary>
/// One span of an OTLP <c>ExportTraceServiceRequest</c>, decoded by a small protobuf wire-format reader (no generated
/// code): resource_spans(1) → scope_spans(2) → spans(2) with trace_id(1), span_id(2), parent_span_id(4), name(5),
/// attributes(9) as KeyValue{key(1), value(2): AnyValue{string(1), bool(2), int(3), double(4)}}, status(15){code(3)}.
/// </summary>
internal sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, object> Attributes,
    int StatusCode)
{
    /// <summary>OTLP's STATUS_CODE_ERROR.</summary>
    public const int Error = 2;

    public object? Attribute(string key) => Attributes.GetValueOrDefault(key);

    public static IEnumerable<OtlpSpan> ReadExportRequest(byte[] body)
    {
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Fields(body).Where(f => f.Number == 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(f => f.Number == 2))
            {
                foreach (var span in Fields(scopeSpans.Bytes).Where(f => f.Number == 2))
                {
                    spans.Add(ReadSpan(span.Bytes));
                }
            }
        }
        return spans;
    }

    private static OtlpSpan ReadSpan(byte[] span)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var attributes = new Dictionary<string, object>();
        var status = 0;
        foreach (var field in Fields(span))
        {
            switch (field.Number)
            {
                case 1: traceId = Convert.ToHexStringLower(field.Bytes); break;
                case 2: spanId = Convert.ToHexStringLower(field.Bytes); break;
                case 4: parent = Convert.ToHexStringLower(field.Bytes); break;
                case 5: name = Encoding.UTF8.GetString(field.Bytes); break;
                case 9:
                    var (key, value) = ReadKeyValue(field.Bytes);
                    attributes[key] = value;
                    break;
                case 15:
                    status = (int)(Fields(field.Bytes).FirstOrDefault(f => f.Number == 3)?.Varint ?? 0);
                    break;
            }
        }
        return new OtlpSpan(traceId, spanId, parent, name, attributes, status);
    }

    private static (string Key, object Value) ReadKeyValue(byte[] keyValue)
    {
        var key = "";
        object value = "";
        foreach (var field in Fields(keyValue))
        {
            if (field.Number == 1)
            {
                key = Encoding.UTF8.GetString(field.Bytes);
            }
            else if (field.Number == 2)
            {
                foreach (var any in Fields(field.Bytes))
                {
                    value = any.Number switch
                    {
                        1 => Encoding.UTF8.GetString(any.Bytes),
                        2 => any.Varint != 0,
                        3 => (long)any.Varint,
                        4 => BitConverter.Int64BitsToDouble((long)any.Varint),
                        _ => value,
                    };
                }
            }
        }
        return (key, value);
    }

    /// <summary>A field: its number, and its value (varint and fixed ones in <c>Varint</c>, length-delimited in <c>Bytes</c>).</summary>
    private sealed record Field(int Number, ulong Varint, byte[] Bytes);

    private static List<Field> Fields(byte[] message)
    {
        var fields = new List<Field>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add(new Field(number, ReadVarint(message, ref position), []));
                    break;
                case 1:
                    fields.Add(new Field(number, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(position, 8)), []));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    fields.Add(new Field(number, 0, message.AsSpan(position, length).ToArray()));
                    position += length;
                    break;
                case 5:
                    fields.Add(new Field(number, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(position, 4)), []));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"unsupported protobuf wire type {tag & 7} at byte {position}");
            }
        }
        return fields;
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
