using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchShip.Bench;

/// <summary>
/// The engine-level half of build.ps1 -Task Bench. Each verb does one measurement (or prepares one)
/// and prints a single JSON object on stdout; the build script runs each in its own process so that
/// a working-set figure is that measurement's alone.
/// </summary>
internal static class Program
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = false };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var options = Options.Parse(args.Skip(1));
        JsonObject result = args[0] switch
        {
            "csv" => OrderRows.WriteCsv(options.Path("out"), options.Long("rows")),
            "floor" => SqliteFloor.Run(options.Path("folder"), options.Long("rows")),
            "stage" => StagingBench.Run(options.Path("home"), options.Path("module"), options.Long("rows"), options.Long("sample-every", 100_000)),
            "prepare-resume" => ResumeFixture.Prepare(options.Path("home"), options.Path("module"), options.Long("rows"), options.Long("pending")),
            "first-call" => ResumeFixture.FirstCall(options.Path("home"), options.Text("job")),
            "stage-stopped" => RunnersFixture.Stage(options.Path("home"), options.Path("module"), options.Long("rows")),
            "run-span" => RunnersFixture.Span(options.Path("home"), options.Text("job")),
            "components" => await ComponentProfile.RunAsync(options.Path("home"), options.Path("module"), options.Long("rows"), (int)options.Long("throttle", 4)).ConfigureAwait(false),
            _ => throw new ArgumentException($"Unknown verb '{args[0]}'.\n{Usage}"),
        };
        Console.Out.WriteLine(result.ToJsonString(Indented));
        return 0;
    }

    private const string Usage = """
        BatchShip.Bench <verb> --name value ...
          csv            --out <file> --rows <n>                        write n valid ups-ground orders as CSV
          floor          --folder <dir> --rows <n>                      bare SQLite: two durable UPDATE commits per row; then one durable label file per row
          stage          --home <dir> --module <dir> --rows <n> [--sample-every <n>]   staging rate and working set
          prepare-resume --home <dir> --module <dir> --rows <n> --pending <n>          a job with n rows left to ship
          first-call     --home <dir> --job <id>                        audit times of the job's first carrier call
          stage-stopped  --home <dir> --module <dir> --rows <n>         a Stopped job with every row Pending (the store BATCHSHIP_STORE names, or SQLite)
          run-span       --home <dir> --job <id>                        rows completed over first InFlight to last Completed
          components     --home <dir> --module <dir> --rows <n> [--throttle <n>]       where a row's time goes
        """;

    /// <summary>--name value pairs.</summary>
    private sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(IEnumerable<string> args)
        {
            var o = new Options();
            string? name = null;
            foreach (var a in args)
            {
                if (name is null)
                {
                    if (!a.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Expected --name, got '{a}'.");
                    name = a[2..];
                }
                else
                {
                    o._values[name] = a;
                    name = null;
                }
            }
            if (name is not null) throw new ArgumentException($"--{name} has no value.");
            return o;
        }

        public string Text(string name) => _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required.");

        public string Path(string name) => System.IO.Path.GetFullPath(Text(name));

        public long Long(string name, long? fallback = null) =>
            _values.TryGetValue(name, out var v) ? long.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture)
            : fallback ?? throw new ArgumentException($"--{name} is required.");
    }
}
