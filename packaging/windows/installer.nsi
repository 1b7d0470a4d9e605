; Refund Desk -- Windows installer (NSIS 3, Unicode). Per-user: no administrator rights needed.
;
; Built by packaging\windows\build.ps1, which runs:
;   makensis /DVERSION=0.1.0 /DBUNDLE_DIR=<repo>\dist\refund-desk /DOUTFILE=<repo>\dist\RefundDesk-0.1.0-setup.exe
;            packaging\windows\installer.nsi
;
; Defines (/D on the makensis command line):
;   VERSION          required: the desk's version, refund_desk.__version__ (e.g. 0.1.0)
;   VERSION_NUMERIC  optional: four numbers for the file's version resource (default VERSION.0)
;   BUNDLE_DIR       optional: the PyInstaller one-folder bundle (default ..\..\dist\refund-desk)
;   OUTFILE          optional: the installer to write (default ..\..\dist\RefundDesk-VERSION-setup.exe)
;   NOCOMPRESS       optional: store files uncompressed (CI's compile check: 4x faster to build)
;
; Installs to %LOCALAPPDATA%\Programs\Refund Desk, adds a Start-menu entry, registers the
; uninstaller under HKCU. The uninstaller keeps the operator's data -- the database folder
; %LOCALAPPDATA%\RefundDesk\RefundDesk (platformdirs user_data_dir("RefundDesk", "RefundDesk")) and
; the settings (HKCU\Software\RefundDesk) -- unless "Also remove my data" is ticked, or the silent
; uninstaller is run with /REMOVEDATA:  Uninstall.exe /S /REMOVEDATA

Unicode true
!ifdef NOCOMPRESS
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif
ManifestDPIAware true

!ifndef VERSION
  !error "Pass the version: makensis /DVERSION=x.y.z installer.nsi"
!endif
!ifndef VERSION_NUMERIC
  !define VERSION_NUMERIC "${VERSION}.0"
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "..\..\dist\refund-desk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\RefundDesk-${VERSION}-setup.exe"
!endif

!define APP_NAME "Refund Desk"
!define APP_EXE "RefundDesk.exe"
!define CLI_EXE "refund-desk.exe"
!define PUBLISHER "Refund Desk"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\RefundDesk"
!define SETTINGS_KEY "Software\RefundDesk"
!define DATA_PARENT "$LOCALAPPDATA\RefundDesk"
!define DATA_DIR "$LOCALAPPDATA\RefundDesk\RefundDesk"
!define ICON "..\..\resources\icons\refund-desk.ico"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
RequestExecutionLevel user
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION_NUMERIC}"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
; Page settings apply to the next page only: this text is the uninstaller's components page.
!define MUI_COMPONENTSPAGE_TEXT_TOP "Your refund database, cases and settings are kept unless you tick $\"Also remove my data$\"."
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; --------------------------------------------------------------------------------------------
; The desk must not be running while its files are replaced or removed: a running .exe cannot be
; opened for writing, which is the test. Silent runs give up (exit code 2) instead of asking.
; --------------------------------------------------------------------------------------------

!macro ASSERT_NOT_RUNNING EXE
  !define _ANR_ID ${__LINE__}
  retry_${_ANR_ID}:
  IfFileExists "$INSTDIR\${EXE}" 0 free_${_ANR_ID}
  ClearErrors
  FileOpen $R9 "$INSTDIR\${EXE}" a
  IfErrors busy_${_ANR_ID}
  FileClose $R9
  Goto free_${_ANR_ID}
  busy_${_ANR_ID}:
  MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME} is running. Close it, then choose Retry." /SD IDCANCEL IDRETRY retry_${_ANR_ID}
  SetErrorLevel 2
  Abort "${APP_NAME} is running: nothing was changed."
  free_${_ANR_ID}:
  !undef _ANR_ID
!macroend

; --------------------------------------------------------------------------------------------
; Install
; --------------------------------------------------------------------------------------------

Function .onInit
  SetShellVarContext current
FunctionEnd

Section "${APP_NAME}" SecApp
  SectionIn RO
  SetShellVarContext current
  !insertmacro ASSERT_NOT_RUNNING "${APP_EXE}"
  !insertmacro ASSERT_NOT_RUNNING "${CLI_EXE}"
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the previous bundle completely (no stale libraries from an old version).
  ; Only the bundle's own folder is removed: never the data folder, which lives elsewhere.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  SetShellVarContext current
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "The desk and its Start-menu entry."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "A shortcut on your desktop."
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; --------------------------------------------------------------------------------------------
; Uninstall
; --------------------------------------------------------------------------------------------

Section "un.${APP_NAME}" UnSecApp
  SectionIn RO
  SetShellVarContext current
  !insertmacro ASSERT_NOT_RUNNING "${APP_EXE}"
  !insertmacro ASSERT_NOT_RUNNING "${CLI_EXE}"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  ; Remove what the installer put there, then the folder only if it is empty (the operator may
  ; have chosen a folder that holds other files).
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd

Section /o "un.Also remove my data (database, cases, settings)" UnSecData
  SetShellVarContext current
  RMDir /r "${DATA_DIR}"
  RMDir "${DATA_PARENT}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecApp} "The program files, Start-menu entry and uninstall entry."
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "Deletes ${DATA_DIR} (your refund database, cases and audit log) and the desk's settings. Leave unticked to keep them for a later install."
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

Function un.onInit
  SetShellVarContext current
  ; Silent uninstalls keep the data too, unless /REMOVEDATA is given.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    SectionGetFlags ${UnSecData} $R2
    IntOp $R2 $R2 | ${SF_SELECTED}
    SectionSetFlags ${UnSecData} $R2
  ${EndIf}
FunctionEnd
