using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BatchShip.Engine.Errors;
using Scriban;
using Scriban.Functions;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace BatchShip.Engine.Templates;

/// <summary>
/// A Scriban template that renders one row into the carrier tool's arguments, as a JSON object.
/// Parsed once per job; <see cref="Render"/> is safe to call from several workers at once.
/// </summary>
public sealed class ShipmentTemplate
{
    /// <summary>Far above any real shipment request (a 200-package request is about 100 KB); stops a runaway loop.</summary>
    internal const int MaxOutputLength = 512 * 1024;
    private const int LoopLimit = 1000;
    private const int RecursiveLimit = 20;

    /// <summary>The global through which a template sees the packages of an order shipped with -PackagePerRow.</summary>
    public const string OrderPackagesVariable = "order_packages";

    private readonly Template _template;
    private readonly ScriptObject _functions;
    private readonly ScriptObject _builtins;

    private ShipmentTemplate(string name, string source, Template template)
    {
        Name = name;
        Source = source;
        _template = template;
        _functions = TemplateFunctions.Create();
        _builtins = CreateBuiltins();
        Columns = ColumnScanner.Scan(name, template.Page);
        ReadsOrderPackages = VariableFinder.Reads(template.Page, OrderPackagesVariable);
    }

    public string Name { get; }
    public string Source { get; }

    /// <summary>The columns the template names (<c>row.X</c>, <c>col "X"</c>, <c>required "X"</c>), found without rendering.</summary>
    public IReadOnlyCollection<string> ReferencedColumns => Columns.Names;

    /// <summary>The template's columns, required columns and column aliases, found without rendering.</summary>
    public TemplateColumns Columns { get; }

    /// <summary>True when the template reads <c>order_packages</c>, so it can ship an order as one package per row.</summary>
    public bool ReadsOrderPackages { get; }

    /// <summary>Parses a template; a syntax error is E-4003 with its line and column.</summary>
    public static ShipmentTemplate Parse(string name, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(source);
        var template = Template.Parse(source, name);
        if (template.HasErrors)
        {
            var error = template.Messages.FirstOrDefault(m => m.Type == ParserMessageType.Error) ?? template.Messages[0];
            throw new BatchShipException(ErrorCatalog.Template,
                $"Template '{name}' line {error.Span.Start.Line + 1}, column {error.Span.Start.Column + 1}: {error.Message}");
        }
        return new ShipmentTemplate(name, source, template);
    }

    /// <summary>
    /// Renders one row and returns compact JSON text of a JSON object. Template failures are E-4003; values the
    /// helper functions refuse carry their own code (E-1xxx, E-2xxx). Every error names the row.
    /// </summary>
    public string Render(TemplateInput input) => Render(input, null);

    /// <summary>Renders the row, then lets <paramref name="check"/> inspect the parsed request before it is returned
    /// (so a caller's check costs no second parse).</summary>
    internal string Render(TemplateInput input, Action<JsonElement>? check)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = new JsonOutput(Name, MaxOutputLength);
        var context = CreateContext(input, output);
        try
        {
            _template.Render(context);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Translate(e, input.RowNumber);
        }
        return Validate(output.ToString(), input.RowNumber, check);
    }

    private JsonTemplateContext CreateContext(TemplateInput input, JsonOutput output)
    {
        var context = new JsonTemplateContext(_builtins, Name, input, new ColumnLookup(Columns, input.ColumnMap), output)
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = LoopLimit,
            RecursiveLimit = RecursiveLimit,
            OutputLimit = MaxOutputLength,
            LimitToString = MaxOutputLength,
            // No member of any .NET object is visible; the template sees only the script objects below.
            MemberFilter = _ => false,
            TemplateLoader = new NoFileLoader(Name, input.RowNumber),
        };
        context.PushGlobal(_functions);

        var job = new ScriptObject { ["id"] = input.JobId, ["name"] = input.JobName };
        job.IsReadOnly = true;
        var globals = new ScriptObject
        {
            ["row"] = context.Row,
            ["shipper"] = new ShipperKeys(input.Shipper, input.RowNumber),
            ["job"] = job,
            ["reference"] = input.Reference,
            // Null unless -LabelFormat was given: the template names its own default (label_format ?? "GIF").
            ["label_format"] = input.LabelFormat,
            // Null unless -PackagePerRow: the order's packages, one per row, in row order.
            [OrderPackagesVariable] = input.Packages is null ? null : OrderPackages(input.Packages),
        };
        foreach (var name in globals.Keys.ToArray()) globals.SetReadOnly(name, true);
        context.PushGlobal(globals);
        return context;
    }

    private static ScriptArray OrderPackages(IReadOnlyList<OrderPackage> packages)
    {
        var list = new ScriptArray();
        foreach (var package in packages)
        {
            var item = new ScriptObject
            {
                ["row"] = package.RowNumber,
                ["weight"] = package.WeightLb,
                ["length"] = package.LengthIn,
                ["width"] = package.WidthIn,
                ["height"] = package.HeightIn,
            };
            item.IsReadOnly = true;
            list.Add(item);
        }
        return list;
    }

    /// <summary>
    /// Scriban's builtins (string, array, math, regex, ...) minus what could turn data into code or is replaced
    /// here: object.eval and object.eval_template evaluate text as a template; date is our own function.
    /// Built once per template and made read-only, every nested object too: the builtin objects are mutable, and one
    /// row's template must not change them for the next row (or for another worker rendering at the same time).
    /// Building a fresh copy per row instead cost more CPU than the rest of the row's rendering.
    /// </summary>
    private static ScriptObject CreateBuiltins()
    {
        var builtins = new BuiltinFunctions();
        builtins.Remove("date");
        if (builtins["object"] is ScriptObject objectFunctions)
        {
            objectFunctions.Remove("eval");
            objectFunctions.Remove("eval_template");
        }
        Freeze(builtins);
        return builtins;
    }

    private static void Freeze(ScriptObject functions)
    {
        foreach (var value in functions.Values)
            if (value is ScriptObject inner && !inner.IsReadOnly) Freeze(inner);
        functions.IsReadOnly = true;
    }

    private BatchShipException Translate(Exception e, long rowNumber)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is BatchShipException known)
                return known.RowNumber is null ? known.For(null, rowNumber) : known;

        if (e is ScriptRuntimeException script)
            return new BatchShipException(ErrorCatalog.Template,
                $"Template '{Name}' line {script.Span.Start.Line + 1}, column {script.Span.Start.Column + 1}: {script.OriginalMessage}",
                null, rowNumber, inner: e);
        return new BatchShipException(ErrorCatalog.Template, $"Template '{Name}' failed: {e.Message}", null, rowNumber, inner: e);
    }

    /// <summary>Checks that the output is one JSON object and rewrites it compactly, ASCII-only.</summary>
    private string Validate(string rendered, long rowNumber, Action<JsonElement>? check)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(rendered, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0);
            var column = CharColumn(rendered, line, (int)(e.BytePositionInLine ?? 0));
            throw new BatchShipException(ErrorCatalog.Template,
                $"Template '{Name}' rendered invalid JSON at line {line + 1}, column {column + 1} of its output: near '{Excerpt(rendered, line, column)}'.",
                null, rowNumber, inner: e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new BatchShipException(ErrorCatalog.Template,
                    $"Template '{Name}' rendered a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; it must render a JSON object.",
                    null, rowNumber);
            check?.Invoke(document.RootElement);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
                document.RootElement.WriteTo(writer);
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    // System.Text.Json reports the position in UTF-8 bytes; people count characters.
    private static int CharColumn(string text, int line, int bytePosition)
    {
        var lineText = LineAt(text, line);
        var bytes = Encoding.UTF8.GetBytes(lineText);
        return Encoding.UTF8.GetCharCount(bytes, 0, Math.Min(bytePosition, bytes.Length));
    }

    private static string Excerpt(string text, int line, int column)
    {
        var lineText = LineAt(text, line);
        var start = Math.Max(0, column - 30);
        var length = Math.Min(60, lineText.Length - start);
        return length <= 0 ? "" : lineText.Substring(start, length).Trim();
    }

    private static string LineAt(string text, int line)
    {
        var lines = text.Split('\n');
        return line < lines.Length ? lines[line].TrimEnd('\r') : "";
    }
}
