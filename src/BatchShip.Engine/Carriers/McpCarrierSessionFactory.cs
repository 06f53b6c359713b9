namespace BatchShip.Engine.Carriers;

/// <summary>Starts <see cref="McpCarrierSession"/>s for one profile.</summary>
/// <param name="profile">The carrier's profile.</param>
/// <param name="secrets">The vault secrets its environment refers to, loaded beforehand; null when it refers to none.</param>
public sealed class McpCarrierSessionFactory(CarrierProfile profile, CarrierSecrets? secrets = null) : ICarrierSessionFactory
{
    /// <summary>The profile every session starts from.</summary>
    public CarrierProfile Profile { get; } = profile;

    /// <inheritdoc />
    public string CarrierName => Profile.Name;

    /// <inheritdoc />
    public TimeSpan CallTimeout => Profile.CallTimeout;

    /// <inheritdoc />
    public bool LooksUpReferences => Profile.LookupTool is not null;

    /// <inheritdoc />
    public int? MaxConcurrentCalls => Profile.MaxConcurrentCalls;

    /// <inheritdoc />
    public async Task<ICarrierSession> StartAsync(CancellationToken cancellationToken) =>
        await McpCarrierSession.StartAsync(Profile, secrets, cancellationToken).ConfigureAwait(false);
}
