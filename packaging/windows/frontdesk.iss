; Inno Setup script for FrontDesk (前台客服台).
; Build the release binary first (cargo build --release), then compile this script with ISCC.
#define AppName "FrontDesk 前台客服台"
#define AppVersion "0.1.0"

[Setup]
AppId={{6C2B5F1E-7A43-4C1B-9E55-3F0D2B8A9C11}
AppName={#AppName}
AppVersion={#AppVersion}
DefaultDirName={autopf}\FrontDesk
DefaultGroupName=FrontDesk
OutputBaseFilename=FrontDesk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=lowest
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\target\release\frontdesk.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\..\assets\fonts\OFL.txt"; DestDir: "{app}\licences"; Flags: ignoreversion

[Icons]
Name: "{group}\前台客服台 FrontDesk"; Filename: "{app}\frontdesk.exe"
Name: "{autodesktop}\前台客服台 FrontDesk"; Filename: "{app}\frontdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Run]
Filename: "{app}\frontdesk.exe"; Description: "{cm:LaunchProgram,FrontDesk}"; Flags: nowait postinstall skipifsilent
