@echo off
rem Runs the built jar on Windows, from any folder:  scripts\sockets.cmd tcp-client 192.0.2.2 65432
rem It needs Java 17 or newer on the PATH (or JAVA_HOME set); the jar is target\sockets.jar beside this folder,
rem or sockets.jar beside this script when the TA copied the two files together.
setlocal
set "here=%~dp0"
set "jar=%here%..\target\sockets.jar"
if not exist "%jar%" set "jar=%here%sockets.jar"
if not exist "%jar%" (
  echo Error: sockets.jar is missing: build it with "mvn -B package -DskipTests", or put sockets.jar beside this script 1>&2
  exit /b 1
)
set "java=java"
if defined JAVA_HOME set "java=%JAVA_HOME%\bin\java"
"%java%" -jar "%jar%" %*
exit /b %ERRORLEVEL%
