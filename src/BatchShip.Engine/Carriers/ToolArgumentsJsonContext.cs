using System.Text.Json.Serialization;

namespace BatchShip.Engine.Carriers;

/// <summary>Source-generated JSON metadata for the arguments we build, so no reflection-based serialization is needed.</summary>
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(string))]
internal sealed partial class ToolArgumentsJsonContext : JsonSerializerContext;
