namespace BatchShip.Engine.Errors;

/// <summary>
/// The one catalogue of BatchShip errors, and the one table that translates carrier codes into it.
/// E-1xxx input data, E-2xxx validation, E-3xxx carrier, E-4xxx system and template, E-5xxx authentication.
/// </summary>
public static class ErrorCatalog
{
    // E-1xxx: the input rows themselves.
    public static readonly ErrorDefinition MissingField = new("E-1001", "Missing field", false, "InvalidData",
        "Add the column to the input (or fill the cell) and run the batch again.");
    public static readonly ErrorDefinition EmptyInput = new("E-1002", "Empty input", false, "InvalidData",
        "Pass at least one row through the pipeline or with -Path.");
    public static readonly ErrorDefinition BadValue = new("E-1003", "Bad value", false, "InvalidData",
        "Correct the value in the input; the message says which form is expected.");
    public static readonly ErrorDefinition DuplicateOrder = new("E-1004", "Duplicate order in input", false, "InvalidData",
        "Give each order one row (combine an export that has one row per item first), or add -AllowDuplicate to ship every row as a shipment of its own.");
    public static readonly ErrorDefinition BadColumnName = new("E-1005", "Bad column name", false, "InvalidData",
        "Rename or remove the column in the input's header: give a column without a name a name (or delete its values), and rename one of two columns that share a name.");
    public static readonly ErrorDefinition CellTooLarge = new("E-1006", "Cell too large", false, "InvalidData",
        "Shorten the cell the message names (at most 32,768 characters a cell or column name, 1,048,576 a row); no carrier field holds more, so the export is probably broken there.");
    public static readonly ErrorDefinition MissingColumns = new("E-1007", "Required columns missing", false, "InvalidData",
        "Rename the columns in the input's header, or map them with -ColumnMap @{ TemplateColumn = 'Your column' }, and start the batch again; nothing was shipped and no job was kept.");
    public static readonly ErrorDefinition ColumnMap = new("E-1008", "Bad column map", false, "InvalidArgument",
        "Correct -ColumnMap: each key is a column the template reads (or Reference), each value a column of your input.");
    public static readonly ErrorDefinition GroupAddressMismatch = new("E-1009", "Rows of one order disagree on the address", false, "InvalidData",
        "Give every row of the order the same address in the column named (or give the rows different -GroupBy values if they are separate orders), then ship those rows again with Start-BatchShipment.");
    public static readonly ErrorDefinition OrderTooLarge = new("E-1010", "Order has too many packages for one shipment", false, "InvalidData",
        "Split the order into parts of at most 200 rows by giving each part its own -GroupBy value, then ship those rows again with Start-BatchShipment.");

    // E-2xxx: values the carrier (or our own checks) refuse.
    public static readonly ErrorDefinition PostalCode = new("E-2001", "Invalid postal code", false, "InvalidData",
        "Check the postal code: a US ZIP has 5 digits (or ZIP+4) and must belong to the state.");
    public static readonly ErrorDefinition State = new("E-2002", "Invalid state or province", false, "InvalidData",
        "Use a two-letter state or province code, or its full name.");
    public static readonly ErrorDefinition Phone = new("E-2003", "Invalid phone number", false, "InvalidData",
        "Give a phone number with 10 digits for the US, or leave the cell empty.");
    public static readonly ErrorDefinition Weight = new("E-2004", "Invalid weight", false, "InvalidData",
        "Give a weight above zero, with a unit when it is not pounds (e.g. 2.5, 500 g, 3 kg, 12 oz).");
    public static readonly ErrorDefinition AddressTooLong = new("E-2005", "Address too long", false, "InvalidData",
        "Shorten the name or address line to at most 35 characters, or move the rest to the next address line.");
    public static readonly ErrorDefinition AddressField = new("E-2006", "Missing or invalid address field", false, "InvalidData",
        "Fill in the recipient's name, address line, city and country.");
    public static readonly ErrorDefinition Shipper = new("E-2007", "Invalid shipper", false, "InvalidArgument",
        "Check -Shipper: it needs Name, ShipperNumber (6 characters), Address1, City, State, PostalCode and Country.");
    public static readonly ErrorDefinition Service = new("E-2008", "Invalid service", false, "InvalidData",
        "Use a UPS service code (e.g. 03) or a name such as Ground, Next Day Air or 2nd Day Air.");
    public static readonly ErrorDefinition Package = new("E-2009", "Invalid package", false, "InvalidData",
        "Check the packaging code and the package dimensions.");
    public static readonly ErrorDefinition Label = new("E-2010", "Invalid label specification", false, "InvalidArgument",
        "Use a label format of GIF, PNG, PDF or ZPL and a 4x6 stock size.");
    public static readonly ErrorDefinition Characters = new("E-2011", "Invalid characters", false, "InvalidData",
        "Remove special characters the carrier does not accept from the row's text fields.");
    public static readonly ErrorDefinition ReferenceNumber = new("E-2012", "Invalid reference number", false, "InvalidData",
        "Use at most two package references of at most 35 characters each.");
    public static readonly ErrorDefinition ServiceNotOffered = new("E-2013", "Service not offered to this destination", false, "InvalidData",
        "Put one of the services the message names in the row's Service column (a code such as 11, or its name).");
    public static readonly ErrorDefinition LabelFormatIgnored = new("E-2014", "Label format not used by the template", false, "InvalidArgument",
        "Write \"Code\": \"{{ label_format }}\" in the template's LabelSpecification.LabelImageFormat, or leave -LabelFormat out.");
    public static readonly ErrorDefinition CarrierFieldsMissing = new("E-2015", "Fields missing for the carrier", false, "InvalidData",
        "Supply the fields the message names, in the row's cells or in the template (a shipment leaving the US needs customs data, InternationalForms), then retry the row.");
    public static readonly ErrorDefinition NotANumber = new("E-2016", "Not a number", false, "InvalidData",
        "Put a plain number in the cell the message names (digits with a point for decimals, e.g. 2.5), or true/false where a yes/no is written as a boolean.");

    public static readonly ErrorDefinition AddressNotConfirmed = new("E-2017", "Address not confirmed by the carrier", false, "InvalidData",
        "Correct the row's ship-to address (the fields the message names, or one of the addresses the carrier offered), then retry the row.");
    public static readonly ErrorDefinition CustomsInvoiceMissing = new("E-2018", "International row without a commercial invoice", false, "InvalidData",
        "Fill the row's InvoiceDescription, InvoiceQuantity, InvoiceValue and InvoiceCurrency cells (OriginCountry and HSCode when you have them), then retry the row.");

    // E-3xxx: the carrier.
    public static readonly ErrorDefinition CarrierUnavailable = new("E-3001", "Carrier unavailable", true, "ConnectionError",
        "The carrier could not be reached or is failing; wait a few minutes, then run Resume-BatchShipment.");
    public static readonly ErrorDefinition RateLimited = new("E-3002", "Rate limited", true, "LimitsExceeded",
        "The carrier is asking for fewer requests; lower -ThrottleLimit or set -MaxRequestsPerSecond, then resume.");
    public static readonly ErrorDefinition AddressRejected = new("E-3003", "Address rejected", false, "InvalidData",
        "The carrier could not validate the address; correct street, city, state and postal code.");
    public static readonly ErrorDefinition ServiceUnavailable = new("E-3004", "Service unavailable", false, "InvalidOperation",
        "The chosen service is not offered between these places; pick another service for the row.");
    public static readonly ErrorDefinition UnknownCarrierError = new("E-3005", "Unknown carrier error", false, "NotSpecified",
        "Read the carrier's message in the error; if it persists, contact the carrier with the row's reference.");
    public static readonly ErrorDefinition VoidRefused = new("E-3006", "Void refused", false, "InvalidOperation",
        "The carrier does not know this shipment id, so nothing was voided: compare the row's ShipmentId (Get-BatchShipment) with the carrier's records; one entered by hand with Resolve-BatchShipment may be wrong.");

    public static readonly ErrorDefinition OutcomeUnknown = new("E-3007", "Shipment outcome unknown", false, "InvalidResult",
        "The carrier may or may not have made this shipment: check it with Get-BatchShipment -Status NeedsReview, then record the answer with Resolve-BatchShipment.");
    public static readonly ErrorDefinition QuoteOverLimit = new("E-3008", "Quote over -MaxTotalCost", false, "LimitsExceeded",
        "Check the rows the quote prices highest (Start-BatchShipment -Quote lists each row's cost), correct them, or raise -MaxTotalCost, then run the command again.");
    public static readonly ErrorDefinition VoidOutcomeUnknown = new("E-3009", "Void outcome unknown", false, "InvalidResult",
        "The carrier may or may not have voided this shipment, so the row stays Completed: run Undo-BatchShipment for it again (voiding twice is harmless), or check the shipment with the carrier.");
    public static readonly ErrorDefinition VoidPeriodExpired = new("E-3010", "Too late to void", false, "InvalidOperation",
        "The carrier's void period for this shipment is over, so it stays shipped and billed; ask the carrier for a refund (for UPS, through its billing center).");

    public static readonly ErrorDefinition CarrierToolMissing = new("E-3011", "Carrier lacks a tool", false, "InvalidOperation",
        "Use a carrier profile whose \"tools\" name the tool the message gives (validate, track), or leave out the option that needs it.");
    public static readonly ErrorDefinition TrackingFailed = new("E-3012", "Tracking failed", true, "ReadError",
        "Run Update-BatchShipmentTracking again later: a package the carrier has not scanned yet may not be tracked.");

    // E-4xxx: our side.
    public static readonly ErrorDefinition SystemError = new("E-4001", "System error", false, "NotSpecified",
        "An unexpected error occurred; the job can be resumed. Report it with the job id if it happens again.");
    public static readonly ErrorDefinition FileSystem = new("E-4002", "File system error", false, "WriteError",
        "Check that the folder exists, has free space and is writable by you.");
    public static readonly ErrorDefinition Template = new("E-4003", "Template error", false, "InvalidData",
        "Fix the template or add the column it names to the input.");
    public static readonly ErrorDefinition JobState = new("E-4004", "Job not in a state for this", false, "InvalidOperation",
        "Check the job's status with Get-BatchJob; only Failed, Stopped or Interrupted jobs (Get-BatchJob -Resumable lists them) can be resumed, and CompletedWithErrors ones with -RetryFailed.");
    public static readonly ErrorDefinition JobBusy = new("E-4005", "Job is running elsewhere", false, "ResourceBusy",
        "A live runner is running this job; wait for it to end, or stop it with Stop-BatchShipment.");
    public static readonly ErrorDefinition NotFound = new("E-4006", "Not found", false, "ObjectNotFound",
        "Check the job id with Get-BatchJob.");
    public static readonly ErrorDefinition CannotQuote = new("E-4017", "Carrier cannot quote", false, "NotImplemented",
        "Use a carrier whose profile names a rate tool (tools.rate) that its server offers, or ship without -Quote and -MaxTotalCost.");
    public static readonly ErrorDefinition OrderNotFound = new("E-4016", "Order not found", false, "ObjectNotFound",
        "Check the order reference; a wildcard such as ORD-10* lists the orders that start with it. Orders of removed jobs are not listed.");
    public static readonly ErrorDefinition LabelUnavailable = new("E-4018", "Label not available", false, "ObjectNotFound",
        "Check the row with Get-BatchShipment: only a Completed or AlreadyShipped row has a label, and a carrier that cannot recover it may need the label reprinted from its own site.");
    public static readonly ErrorDefinition HeldByOtherJob = new("E-4008", "Rows held by another job", false, "ResourceBusy",
        "Another job has a shipment in flight or under review for the same order; finish or resolve that job, then resume this one.");
    public static readonly ErrorDefinition LabelNotSaved = new("E-4011", "Label not saved to its folder", false, "WriteError",
        "The shipment was made but its label could not be written to the label folder; it is kept in the store. Write it where you want with Get-BatchShipment -JobId <id> -SaveLabel <folder>.");
    public static readonly ErrorDefinition Configuration = new("E-4007", "Configuration error", false, "InvalidArgument",
        "Check the carrier or template name, or the path given.");
    public static readonly ErrorDefinition LeaseLost = new("E-4009", "Runner fenced off", false, "InvalidOperation",
        "Another runner took this job over while this one was not answering (paused, suspended or cut off); this one stopped without sending anything more. See the job with Get-BatchJob; resume it only if it is not running.");
    public static readonly ErrorDefinition CarrierDidNotStart = new("E-4013", "Carrier did not start", false, "ResourceUnavailable",
        "Fix what the carrier's own output says (the command, arguments, environment or files its profile gives it), then run the command again.");
    public static readonly ErrorDefinition FileNotFound = new("E-4014", "File not found", false, "ObjectNotFound",
        "Check the path: give an existing file, as a full path or relative to the current location.");
    public static readonly ErrorDefinition CarrierCannotShip = new("E-4015", "Carrier cannot ship", false, "InvalidOperation",
        "Start the batch with a carrier whose profile names a create tool (Sandbox, UPS, ShipAgentTS, Roscoej); this one only validates addresses or tracks packages.");
    public static readonly ErrorDefinition StoreNotPrivate = new("E-4012", "Store not private", false, "PermissionDenied",
        "Another user owns or can change a file or folder of the BatchShip store; run the chmod or chown the message names (or remove a file you did not make), then run the command again.");
    public static readonly ErrorDefinition GroupKeyConflict = new("E-4019", "-GroupBy and -KeyProperty disagree", false, "InvalidArgument",
        "Drop -KeyProperty: under -GroupBy the group's value is its order key.");
    public static readonly ErrorDefinition StoreBusy = new("E-4020", "Store busy", true, "ResourceBusy",
        "Another program kept the BatchShip store locked too long (a database browser, a backup or sync tool), or its PostgreSQL server could not be reached; close that program or bring the server back, then continue with Resume-BatchShipment.");
    public static readonly ErrorDefinition SecretInProfile = new("E-4021", "Secret written in a carrier profile", false, "InvalidArgument",
        "Keep the value in a vault (Set-Secret) or an environment variable and give the profile a reference instead: 'secret:<vault>/<name>' or '$env:NAME'.");
    public static readonly ErrorDefinition StoreNotInitialized = new("E-4022", "Team store not initialised", false, "ResourceUnavailable",
        "Have the database's owner create the database and run Initialize-BatchShipStore with the store's connection string (Get-Help about_BatchShip_TeamStore), then run the command again.");
    public static readonly ErrorDefinition StoreLogin = new("E-4023", "Team store login refused", false, "AuthenticationError",
        "Leave the password out of the connection string and give it to PostgreSQL through PGPASSWORD or a ~/.pgpass file (mode 0600) of the account that runs BatchShip, with the right user name, then run the command again.");

    // E-404x: what an administrator asks of a job.
    public static readonly ErrorDefinition Unsettled = new("E-4040", "Rows not settled", false, "InvalidOperation",
        "Rows of this job are in flight or need review, so they may have shipped: resume the job (Resume-BatchShipment) or record a decision for them (Resolve-BatchShipment) first; Remove-BatchJob -Force removes it anyway and keeps their orders as shipped.");

    // E-403x: the offline test kit (Use-BatchShipSandbox, Get-BatchShipSandboxShipment).
    public static readonly ErrorDefinition SandboxFaults = new("E-4030", "Invalid sandbox faults", false, "InvalidArgument",
        "Use the sandbox's fault switches (Get-Help about_BatchShip_Testing): name=value entries separated by ';', probabilities from 0 to 1, durations in ms or s.");
    public static readonly ErrorDefinition SandboxUnavailable = new("E-4031", "Sandbox carrier unavailable", false, "ResourceUnavailable",
        "Check that the module folder is complete (carriers/sandbox) and that the dotnet host can run it; rebuild or reinstall the module.");

    // E-5xxx: authentication.
    public static readonly ErrorDefinition AuthenticationFailed = new("E-5001", "Authentication failed", false, "AuthenticationError",
        "Check the carrier credentials (CLIENT_ID, CLIENT_SECRET, account number) and that the app has access to the Shipping API.");
    public static readonly ErrorDefinition TokenExpired = new("E-5002", "Token expired", true, "AuthenticationError",
        "The carrier's access token expired; the run renews it. Resume the job if it stopped.");
    public static readonly ErrorDefinition CredentialNotSet = new("E-5003", "Carrier credential not set", false, "AuthenticationError",
        "Set the environment variable the message names in the session or scheduled task that runs the batch (the carrier profile reads it as $env:NAME), then run the command again.");
    public static readonly ErrorDefinition SecretManagementMissing = new("E-5004", "Secret management not installed", false, "NotInstalled",
        "Install-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore, register a vault with Register-SecretVault, store the secret with Set-Secret, then run the command again.");
    public static readonly ErrorDefinition SecretNotFound = new("E-5005", "Carrier secret not found", false, "AuthenticationError",
        "Store the secret the message names with Set-Secret -Vault <vault> -Name <name> (unlock the vault first if it is locked), or correct the reference with Register-BatchShipCarrier -Force, then run the command again.");

    /// <summary>Every entry, in code order.</summary>
    public static IReadOnlyList<ErrorDefinition> All { get; } = typeof(ErrorCatalog)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorDefinition))
        .Select(f => (ErrorDefinition)f.GetValue(null)!)
        .OrderBy(e => e.Code, StringComparer.Ordinal)
        .ToArray();

    private static readonly Dictionary<string, ErrorDefinition> ByCode = All.ToDictionary(e => e.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>The entry for a code such as <c>E-2001</c>.</summary>
    public static ErrorDefinition Get(string code) =>
        ByCode.TryGetValue(code, out var e) ? e : throw new KeyNotFoundException($"No error {code} in the catalogue.");

    // Carrier codes (UPS error codes and HTTP statuses) by exact value, never by substring of a message.
    private static readonly Dictionary<string, ErrorDefinition> CarrierCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["250002"] = AuthenticationFailed, ["250003"] = AuthenticationFailed, ["10400"] = AuthenticationFailed,
        ["10401"] = TokenExpired,
        ["10429"] = RateLimited,
        ["120001"] = CarrierUnavailable, ["190001"] = CarrierUnavailable,
        ["120100"] = Shipper, ["120101"] = Shipper, ["120102"] = Shipper, ["120103"] = Shipper, ["120104"] = Shipper,
        ["120105"] = Shipper, ["120106"] = Shipper, ["120107"] = Shipper, ["120108"] = Shipper, ["120109"] = Shipper,
        ["120110"] = Shipper,
        ["120200"] = AddressField, ["120202"] = AddressField, ["120205"] = AddressField, ["120208"] = AddressField,
        ["120206"] = State, ["120207"] = PostalCode, ["120209"] = Phone,
        ["120801"] = AddressRejected, ["120802"] = AddressRejected, ["120803"] = AddressRejected,
        ["120500"] = Service, ["120124"] = ServiceUnavailable, ["121210"] = ServiceUnavailable,
        ["120600"] = Package, ["120609"] = Package, ["120601"] = Weight,
        ["120702"] = Label, ["120703"] = Label,
        ["121000"] = Characters,
        ["120541"] = ReferenceNumber, ["120543"] = ReferenceNumber, ["120544"] = ReferenceNumber,
        ["190100"] = VoidRefused, ["190101"] = VoidPeriodExpired, ["190102"] = VoidPeriodExpired,
    };

    private static readonly Dictionary<int, ErrorDefinition> HttpStatuses = new()
    {
        [401] = AuthenticationFailed, [403] = AuthenticationFailed, [429] = RateLimited,
        [500] = CarrierUnavailable, [502] = CarrierUnavailable, [503] = CarrierUnavailable, [504] = CarrierUnavailable,
    };

    /// <summary>Translates a carrier's own error code (e.g. UPS 120802), falling back on the HTTP status, else E-3005.</summary>
    public static ErrorDefinition FromCarrier(string? carrierCode, int? httpStatus)
    {
        if (carrierCode is not null && CarrierCodes.TryGetValue(carrierCode.Trim(), out var byCode)) return byCode;
        if (httpStatus is int s && HttpStatuses.TryGetValue(s, out var byStatus)) return byStatus;
        return UnknownCarrierError;
    }
}
