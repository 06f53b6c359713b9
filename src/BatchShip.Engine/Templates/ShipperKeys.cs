using BatchShip.Engine.Errors;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace BatchShip.Engine.Templates;

/// <summary>
/// The <c>shipper</c> a template sees: case-insensitive. The optional keys of <see cref="ShipperValidator"/> read as
/// empty when absent; any other missing key is E-2007 naming it, so a typo in a template cannot go unnoticed.
/// </summary>
internal sealed class ShipperKeys : ScriptObject
{
    private readonly Dictionary<string, string> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly long _rowNumber;

    public ShipperKeys(IReadOnlyDictionary<string, string> shipper, long rowNumber)
    {
        _rowNumber = rowNumber;
        foreach (var (key, value) in shipper)
            if (_keys.TryAdd(key, value ?? "")) SetValue(key, value ?? "", true);
        IsReadOnly = true;
    }

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object value)
    {
        if (_keys.TryGetValue(member, out var found)) value = found;
        else if (ShipperValidator.OptionalKeys.Contains(member, StringComparer.OrdinalIgnoreCase)) value = "";
        else
            throw new BatchShipException(ErrorCatalog.Shipper,
                $"The template reads shipper key '{member}' (line {span.Start.Line + 1}), which -Shipper does not have; add it to the shipper.",
                member, _rowNumber);
        return true;
    }

    public override bool Contains(string member) => _keys.ContainsKey(member);
}
