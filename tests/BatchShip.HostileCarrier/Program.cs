using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchShip.HostileCarrier;

/// <summary>
/// An MCP server over stdio that answers like a UPS server until its mode tells it to misbehave. Settings come from
/// its environment (so they travel in a carrier profile's "env"):
/// HOSTILE_MODE      normal | huge-line | huge-label | stderr | formula | secret-echo | env-dump
/// HOSTILE_SIZE_MB   how big the huge line, label, stderr or error text is (default 64)
/// HOSTILE_LEDGER    a file that gets one line per create call: the reference it carried
/// HOSTILE_TRACKING, HOSTILE_SHIPMENT_ID, HOSTILE_CURRENCY, HOSTILE_COST   the values formula mode answers with
/// HOSTILE_ECHO      secret-echo: the name of the variable whose value the error message repeats
/// HOSTILE_ENV_FILE  env-dump: where to write the names of every variable this process was given
/// HOSTILE_PACKAGES  normal: how many packages the shipment has, all with the same tracking number (default 1)
/// Lookups (recover_label) find every reference in the ledger with a small, well-formed answer, except in formula
/// mode, where the found shipment carries the same hostile values.
/// </summary>
public static class Program
{
    private static readonly Stream Out = Console.OpenStandardOutput();
    private static int _serial;

    public static int Main()
    {
        using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        while (input.ReadLine() is { } line)
        {
            if (line.Trim().Length == 0) continue;
            var message = JsonNode.Parse(line)!.AsObject();
            var id = message["id"]?.DeepClone();
            var method = (string?)message["method"];
            if (id is null) continue; // notifications
            switch (method)
            {
                case "initialize":
                    Reply(id, new JsonObject
                    {
                        ["protocolVersion"] = message["params"]?["protocolVersion"]?.DeepClone() ?? "2025-06-18",
                        ["capabilities"] = new JsonObject { ["tools"] = new JsonObject() },
                        ["serverInfo"] = new JsonObject { ["name"] = "hostile", ["version"] = "1.0.0" },
                    });
                    break;
                case "tools/list":
                    Reply(id, new JsonObject { ["tools"] = new JsonArray(Tool("create_shipment"), Tool("recover_label")) });
                    break;
                case "tools/call":
                    Call(id, message["params"]!.AsObject());
                    break;
                default:
                    Write(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = new JsonObject { ["code"] = -32601, ["message"] = "Method not found" } });
                    break;
            }
        }
        return 0;
    }

    private static string Mode => Environment.GetEnvironmentVariable("HOSTILE_MODE") ?? "normal";

    private static long SizeBytes => long.Parse(Environment.GetEnvironmentVariable("HOSTILE_SIZE_MB") ?? "64", System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024;

    private static void Call(JsonNode id, JsonObject parameters)
    {
        var tool = (string?)parameters["name"];
        var body = parameters["arguments"]?["request_body"];
        if (tool == "create_shipment")
        {
            var reference = (string?)body?["ShipmentRequest"]?["Shipment"]?["Package"]?[0]?["ReferenceNumber"]?[0]?["Value"] ?? "";
            if (Environment.GetEnvironmentVariable("HOSTILE_LEDGER") is { Length: > 0 } ledger) File.AppendAllText(ledger, reference + "\n");
            Create(id, reference);
        }
        else if (tool == "recover_label")
        {
            var reference = (string?)body?["LabelRecoveryRequest"]?["ReferenceValues"]?["ReferenceNumber"]?["Value"] ?? "";
            var ledger = Environment.GetEnvironmentVariable("HOSTILE_LEDGER");
            var known = ledger is { Length: > 0 } && File.Exists(ledger) && File.ReadAllLines(ledger).Contains(reference);
            if (!known)
            {
                ToolError(id, "recover_label", """{"status_code": 400, "code": "300007", "message": "No shipment found", "details": {"response": {"errors": [{"code": "300007", "message": "No shipment found"}]}}}""");
                return;
            }
            var hostile = Mode == "formula";
            ToolText(id, Shipment(hostile, "LabelRecoveryResponse", "LabelResults", "LabelImage", "LabelImageFormat", 1), false);
        }
        else
        {
            ToolError(id, tool ?? "", """{"code": "VALIDATION_ERROR", "message": "unknown tool"}""");
        }
    }

    private static void Create(JsonNode id, string reference)
    {
        switch (Mode)
        {
            case "huge-line":
                // One line far bigger than any answer, written in pieces so this process stays small.
                StreamLine(id, "{\"content\":[{\"type\":\"text\",\"text\":\"", 'A', "\"}],\"isError\":false}");
                return;
            case "huge-label":
                var label = "{\\\"ShipmentResponse\\\":{\\\"ShipmentResults\\\":{\\\"ShipmentIdentificationNumber\\\":\\\"1ZHUGE0000000001\\\"," +
                            "\\\"PackageResults\\\":[{\\\"TrackingNumber\\\":\\\"1ZHUGE0000000001\\\",\\\"ShippingLabel\\\":{\\\"ImageFormat\\\":{\\\"Code\\\":\\\"GIF\\\"},\\\"GraphicImage\\\":\\\"";
                StreamLine(id, "{\"content\":[{\"type\":\"text\",\"text\":\"" + label, 'A', "\\\"}}]}}}\"}],\"isError\":false}");
                return;
            case "stderr":
                var err = Console.OpenStandardError();
                var chunk = Encoding.ASCII.GetBytes(new string('E', 1 << 20));
                for (long written = 0; written < SizeBytes; written += chunk.Length) err.Write(chunk);
                err.Flush();
                break;
            case "secret-echo":
                var secret = Environment.GetEnvironmentVariable(Environment.GetEnvironmentVariable("HOSTILE_ECHO") ?? "") ?? "";
                var padding = Environment.GetEnvironmentVariable("HOSTILE_SIZE_MB") is null ? "" : new string('x', (int)SizeBytes);
                var error = new JsonObject
                {
                    ["status_code"] = 401, ["code"] = "401",
                    ["message"] = $"Invalid credentials: client secret {secret} was refused for {reference}{padding}",
                    ["details"] = new JsonObject { ["response"] = new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = "250002", ["message"] = "Invalid Authentication Information " + secret }) } },
                };
                ToolError(id, "create_shipment", error.ToJsonString());
                return;
            case "env-dump":
                if (Environment.GetEnvironmentVariable("HOSTILE_ENV_FILE") is { Length: > 0 } file)
                    File.WriteAllLines(file, Environment.GetEnvironmentVariables().Keys.Cast<string>().Order(StringComparer.Ordinal));
                break;
        }
        var packages = int.Parse(Environment.GetEnvironmentVariable("HOSTILE_PACKAGES") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        ToolText(id, Shipment(Mode == "formula", "ShipmentResponse", "PackageResults", "ShippingLabel", "ImageFormat", packages), false);
    }

    private static string Shipment(bool hostile, string responseName, string packagesName, string labelName, string formatName, int packages)
    {
        var serial = Interlocked.Increment(ref _serial);
        var tracking = hostile ? Environment.GetEnvironmentVariable("HOSTILE_TRACKING") ?? "1ZHOSTILE0000000001" : $"1ZHOSTILE{Environment.ProcessId % 100000:00000}{serial:0000}";
        var shipmentId = hostile ? Environment.GetEnvironmentVariable("HOSTILE_SHIPMENT_ID") ?? tracking : tracking;
        var currency = hostile ? Environment.GetEnvironmentVariable("HOSTILE_CURRENCY") ?? "USD" : "USD";
        var cost = hostile ? Environment.GetEnvironmentVariable("HOSTILE_COST") ?? "12.29" : "12.29";
        var results = new JsonArray();
        for (var i = 0; i < packages; i++)
            results.Add(new JsonObject
            {
                ["TrackingNumber"] = tracking,
                [labelName] = new JsonObject { [formatName] = new JsonObject { ["Code"] = "GIF" }, ["GraphicImage"] = "R0lGODlhAQABAAAAACw=" },
            });
        var content = new JsonObject
        {
            ["ShipmentIdentificationNumber"] = shipmentId,
            ["ShipmentCharges"] = new JsonObject { ["TotalCharges"] = new JsonObject { ["CurrencyCode"] = currency, ["MonetaryValue"] = cost } },
            [packagesName] = results,
        };
        var response = responseName == "ShipmentResponse"
            ? new JsonObject { [responseName] = new JsonObject { ["ShipmentResults"] = content } }
            : new JsonObject { [responseName] = content };
        return response.ToJsonString();
    }

    private static void StreamLine(JsonNode id, string before, char fill, string after)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{id.ToJsonString()},\"result\":{before}");
        Out.Write(head);
        var chunk = Encoding.ASCII.GetBytes(new string(fill, 1 << 20));
        try
        {
            for (long written = 0; written < SizeBytes; written += chunk.Length) Out.Write(chunk);
            Out.Write(Encoding.UTF8.GetBytes(after + "}\n"));
            Out.Flush();
        }
        catch (IOException)
        {
            // The client hung up on the oversized answer: that is the expected ending.
            Environment.Exit(0);
        }
    }

    private static JsonObject Tool(string name) => new()
    {
        ["name"] = name,
        ["inputSchema"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["request_body"] = new JsonObject { ["type"] = "object" }, ["version"] = new JsonObject { ["type"] = "string" } },
            ["required"] = new JsonArray("request_body"),
        },
    };

    private static void ToolError(JsonNode id, string tool, string json) => ToolText(id, $"Error executing tool {tool}: {json}", true);

    private static void ToolText(JsonNode id, string text, bool isError) =>
        Reply(id, new JsonObject { ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }), ["isError"] = isError });

    private static void Reply(JsonNode id, JsonObject result) =>
        Write(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = result });

    private static void Write(JsonObject message)
    {
        Out.Write(Encoding.UTF8.GetBytes(message.ToJsonString() + "\n"));
        Out.Flush();
    }
}
