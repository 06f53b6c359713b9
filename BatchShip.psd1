@{
    RootModule           = 'BatchShip.Cmdlets.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0d2f4e-6a51-4f0e-9a7c-2f3d8e1b9c47'
    Author               = 'BatchShip'
    CompanyName          = 'BatchShip'
    Copyright            = '(c) BatchShip. All rights reserved.'
    Description          = 'Ships a spreadsheet''s worth of orders, one carrier shipment per row, through a carrier''s MCP server, with every row checkpointed so a batch that dies halfway resumes and never ships a row twice.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('BatchShip.Format.ps1xml', 'BatchShip.Testing.Format.ps1xml', 'BatchShip.Carriers.Format.ps1xml')
    CmdletsToExport      = @(
        'Start-BatchShipment'
        'Resume-BatchShipment'
        'Stop-BatchShipment'
        'Get-BatchJob'
        'Remove-BatchJob'
        'Get-BatchShipment'
        'Resolve-BatchShipment'
        'Use-BatchShipSandbox'
        'Get-BatchShipSandboxShipment'
        'Undo-BatchShipment'
        'Export-BatchShipmentLabel'
        'Register-BatchShipCarrier'
        'Get-BatchShipCarrier'
        'Test-BatchShipCarrier'
        'Unregister-BatchShipCarrier'
        'Update-BatchShipmentTracking'
        'Initialize-BatchShipStore'
        'Set-BatchShipStore'
        'Get-BatchShipStore'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Shipping', 'UPS', 'MCP', 'Batch', 'Labels')
            ProjectUri = ''
        }
    }
}
