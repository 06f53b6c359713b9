using System.Text.Json;
using BatchShip.Engine.Carriers;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

public sealed class ToolArgumentsTests
{
    [Fact]
    public void Splits_the_rendered_object_into_tool_arguments()
    {
        var arguments = ToolArguments.FromJsonObject("""{"request_body": {"ShipmentRequest": {"a": "1"}}, "version": "v2409"}""");

        Assert.Equal(["request_body", "version"], arguments.Keys);
        Assert.Equal("""{"ShipmentRequest": {"a": "1"}}""", ((JsonElement)arguments["request_body"]!).GetRawText());
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("{")]
    public void Refuses_anything_but_a_json_object(string json)
    {
        Assert.ThrowsAny<JsonException>(() => ToolArguments.FromJsonObject(json));
    }

    [Theory]
    [InlineData(false, """{"request_body":{"LabelRecoveryRequest":{"Request":{"TransactionReference":{"CustomerContext":"BS-7-12"}},"LabelSpecification":{"HTTPUserAgent":"Mozilla/4.5","LabelImageFormat":{"Code":"GIF"}},"ReferenceValues":{"ReferenceNumber":{"Value":"BS-7-12"},"ShipperNumber":"999AA1"}}}}""")]
    [InlineData(true, """{"request_body":{"LabelRecoveryRequest":{"Request":{"TransactionReference":{"CustomerContext":"BS-7-12"}},"LabelSpecification":{"HTTPUserAgent":"Mozilla/4.5","LabelImageFormat":{"Code":"GIF"}},"ReferenceValues":{"ReferenceNumber":{"Value":"BS-7-12"},"ShipperNumber":"999AA1"}}},"version":"v1"}""")]
    public void Builds_the_label_recovery_request_by_reference(bool includeVersion, string expected)
    {
        var arguments = ToolArguments.LabelRecoveryByReference("BS-7-12", "999AA1", includeVersion);

        var json = JsonSerializer.Serialize(arguments.ToDictionary(a => a.Key, a => a.Value is JsonElement e ? e : JsonSerializer.SerializeToElement(a.Value)));
        Assert.Equal(expected, json);
    }
}
