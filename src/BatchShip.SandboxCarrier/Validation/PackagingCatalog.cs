namespace BatchShip.SandboxCarrier.Validation;

public static class PackagingCatalog
{
    private static readonly Dictionary<string, string> Names = new()
    {
        ["01"] = "UPS Letter", ["02"] = "Customer Supplied Package", ["03"] = "Tube", ["04"] = "PAK",
        ["21"] = "UPS Express Box", ["24"] = "UPS 25KG Box", ["25"] = "UPS 10KG Box", ["30"] = "Pallet",
    };

    public static bool IsKnown(string? code) => code is not null && Names.ContainsKey(code);

    public static string Describe(string code) => Names.GetValueOrDefault(code, code);
}
