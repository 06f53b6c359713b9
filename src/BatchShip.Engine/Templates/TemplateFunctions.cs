using BatchShip.Engine.Errors;
using Scriban;
using Scriban.Runtime;

namespace BatchShip.Engine.Templates;

/// <summary>
/// The functions a template may call. Each wraps one converter and, when the converter refuses a value, names the
/// column the value came from and the row, so the clerk knows which cell to fix.
/// </summary>
internal static class TemplateFunctions
{
    public const string OptionalColumn = "col";
    public const string RequiredColumn = "required";
    public const string Alias = "alias";
    private const int MaxPackages = 200;

    /// <summary>A read-only object holding every function; shared by all renders of a template.</summary>
    public static ScriptObject Create()
    {
        var functions = new ScriptObject();
        Import(functions, OptionalColumn, new Func<TemplateContext, string, string?, string>(Col));
        Import(functions, RequiredColumn, new Func<TemplateContext, string, string?, string>(Required));
        Import(functions, Alias, new Action<TemplateContext, string, ScriptArray>(DeclareAlias));
        Import(functions, "phone", new Func<TemplateContext, string?, string?, string>(Phone));
        Import(functions, "postal", new Func<TemplateContext, string?, string?, string?, string>(Postal));
        Import(functions, "state", new Func<TemplateContext, string?, string?, string>(State));
        Import(functions, "country", new Func<TemplateContext, string?, string>(Country));
        Import(functions, "weight", new Func<TemplateContext, string?, string>(Weight));
        Import(functions, "inches", new Func<TemplateContext, string?, string>(Inches));
        Import(functions, "truncate", new Func<TemplateContext, string?, int, string>(Truncate));
        Import(functions, "address_lines", new Func<TemplateContext, string?, string?, string?, ScriptArray>(AddressLines));
        Import(functions, "service", new Func<TemplateContext, string?, string?, string?, string>(Service));
        Import(functions, "yesno", new Func<TemplateContext, string?, bool>(YesNoValue));
        Import(functions, "date", new Func<TemplateContext, string?, string>(Date));
        Import(functions, "quantity", new Func<TemplateContext, string?, int>(Quantity));
        Import(functions, "num", new Func<TemplateContext, object?, JsonLiteral>(Number));
        Import(functions, "boolean", new Func<TemplateContext, object?, JsonLiteral>(Boolean));
        Import(functions, "customs_invoice", new Func<TemplateContext, string?, string?, ScriptObject?>(Invoice));
        foreach (var name in functions.Keys.ToArray()) functions.SetReadOnly(name, true);
        functions.IsReadOnly = true;
        return functions;
    }

    /// <summary>
    /// Adds a function by its method, not by its delegate: Scriban calls an imported delegate through
    /// <c>Delegate.DynamicInvoke</c>, which looks up the delegate type's <c>Invoke</c> method on every call. That lookup
    /// lives in a cache the GC may drop, and each drop makes the runtime emit a new invoke stub (a DynamicMethod, later
    /// finalized): at every garbage collection, a few per function. A method imported directly is invoked through the
    /// one <c>MethodInfo</c> this function keeps, so its stub is emitted once.
    /// </summary>
    private static void Import(ScriptObject functions, string name, Delegate function) =>
        functions.SetValue(name, DynamicCustomFunction.Create(function.Target, function.Method), true);

    /// <summary>An optional column: its trimmed value, or <paramref name="fallback"/> when absent or blank.</summary>
    private static string Col(TemplateContext context, string name, string? fallback = "")
    {
        var row = Row(context);
        var value = row.Find(name)?.Trim();
        if (string.IsNullOrEmpty(value)) return fallback ?? "";
        Json(context).RecordRead(row.ColumnFor(name) ?? name, value);
        return value;
    }

    /// <summary>Other names of a column. Read when the template is parsed (see <see cref="ColumnScanner"/>), so that
    /// they hold for every line and a column check knows them before any row; running the line does nothing
    /// (and writes nothing, so it may stand anywhere).</summary>
    private static void DeclareAlias(TemplateContext context, string column, ScriptArray names)
    {
    }

    /// <summary>A required column (or its alternative): its trimmed value; absent or blank is E-1001 naming it.</summary>
    private static string Required(TemplateContext context, string name, string? alternative = "")
    {
        var row = Row(context);
        var ctx = Json(context);
        var value = row.Find(name)?.Trim();
        if (!string.IsNullOrEmpty(value))
        {
            ctx.RecordRead(row.ColumnFor(name) ?? name, value);
            return value;
        }
        if (!string.IsNullOrEmpty(alternative))
        {
            var other = row.Find(alternative)?.Trim();
            if (!string.IsNullOrEmpty(other))
            {
                ctx.RecordRead(row.ColumnFor(alternative) ?? alternative, other);
                return other;
            }
        }
        var names = string.IsNullOrEmpty(alternative) ? $"column {row.Describe(name)}" : $"column {row.Describe(name)} or {row.Describe(alternative)}";
        throw new BatchShipException(ErrorCatalog.MissingField, $"Row {ctx.RowNumber} needs a value in {names}.", name, ctx.RowNumber);
    }

    private static string Phone(TemplateContext context, string? value, string? country = "US") =>
        Guard(context, value, () => PhoneNumbers.Normalize(value, country));

    private static string Postal(TemplateContext context, string? value, string? country = "US", string? state = null) =>
        Guard(context, value, () => PostalCodes.Normalize(value, country, state));

    private static string State(TemplateContext context, string? value, string? country = "US") =>
        Guard(context, value, () => StateCodes.Normalize(value, country));

    private static string Country(TemplateContext context, string? value) => Guard(context, value, () => CountryCodes.Normalize(value));

    private static string Weight(TemplateContext context, string? value) => Guard(context, value, () => Weights.ToPounds(value));

    private static string Inches(TemplateContext context, string? value) => Guard(context, value, () => Dimensions.ToInches(value));

    private static string Truncate(TemplateContext context, string? value, int length = TextFit.FieldLength) =>
        Guard(context, value, () => TextFit.Truncate(value, length));

    private static ScriptArray AddressLines(TemplateContext context, string? line1, string? line2 = null, string? line3 = null) =>
        Guard(context, line1, () => new ScriptArray(TextFit.AddressLines([line1, line2, line3])));

    private static string Service(TemplateContext context, string? value, string? destination = null, string? origin = null) =>
        Guard(context, value, () => ServiceCodes.Normalize(value, destination, origin));

    private static bool YesNoValue(TemplateContext context, string? value) => Guard(context, value, () => YesNo.Parse(value));

    private static string Date(TemplateContext context, string? value) => Guard(context, value, () => Dates.ToYyyyMmDd(value));

    /// <summary>A count of identical packages: empty is 1; otherwise a whole number from 1 to 200, else E-1003.</summary>
    private static int Quantity(TemplateContext context, string? value) => Guard(context, value, () =>
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0) return 1;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            && count is >= 1 and <= MaxPackages)
            return count;
        throw ValueError.Of(ErrorCatalog.BadValue, $"Package count {ValueError.Quote(value)} must be a whole number from 1 to {MaxPackages}.");
    });

    /// <summary>A value written as a JSON number, outside quotes (for servers whose schema wants numbers); E-2016 otherwise.</summary>
    private static JsonLiteral Number(TemplateContext context, object? value) =>
        Guard(context, value as string, () => JsonLiteral.Number(value));

    /// <summary>A value written as a JSON boolean, outside quotes; E-2016 for anything but a boolean or true/false.</summary>
    private static JsonLiteral Boolean(TemplateContext context, object? value) =>
        Guard(context, value as string, () => JsonLiteral.Boolean(value));

    /// <summary>The commercial invoice a shipment across a customs border needs, from the row's invoice columns, or
    /// null within the US and Puerto Rico (see <see cref="CustomsInvoice"/>).</summary>
    private static ScriptObject? Invoice(TemplateContext context, string? to, string? from)
    {
        // The invoice is dated the day it is rendered, unless the row's InvoiceDate says otherwise.
        var values = CustomsInvoice.For(to, from, name => Col(context, name), Json(context).RowNumber, DateTimeOffset.UtcNow);
        if (values is null) return null;
        var invoice = new ScriptObject();
        foreach (var (key, value) in values) invoice[key] = value;
        return invoice;
    }

    private static T Guard<T>(TemplateContext context, string? value, Func<T> convert)
    {
        try
        {
            return convert();
        }
        catch (BatchShipException e) when (e.Field is null)
        {
            throw Located(context, value, e.Error, e.Message);
        }
        catch (Exception e) when (e is OverflowException or FormatException or ArgumentException)
        {
            // A converter that did not expect a value is still a bad cell, not a broken template: name the cell.
            throw Located(context, value, ErrorCatalog.BadValue, $"{ValueError.Quote(value)} cannot be read ({e.Message}).");
        }
    }

    private static BatchShipException Located(TemplateContext context, string? value, ErrorDefinition error, string message)
    {
        var ctx = Json(context);
        var column = ctx.ColumnOf(value);
        var where = column is null ? $"Row {ctx.RowNumber}" : $"Row {ctx.RowNumber}, column '{column}'";
        return new BatchShipException(error, $"{where}: {message}", column, ctx.RowNumber);
    }

    private static JsonTemplateContext Json(TemplateContext context) =>
        context as JsonTemplateContext ?? throw new InvalidOperationException("Template functions run only inside a shipment template.");

    private static RowColumns Row(TemplateContext context) => Json(context).Row;
}
