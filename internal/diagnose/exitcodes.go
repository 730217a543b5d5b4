package diagnose

import "strconv"

// Exit code meanings: the shell's conventions (Bash Reference Manual,
// "Exit Status": 126 not executable, 127 not found, 128+N killed by signal
// N) and the signal numbers of signal(7).
var (
	msgExit0   = &Message{EN: "success", ZH: "正常退出"}
	msgExit1   = &Message{EN: "generic application error: read the logs", ZH: "通用应用错误：请查看日志"}
	msgExit2   = &Message{EN: "misuse of a shell builtin or invalid command-line usage: check args and flags", ZH: "Shell 内建命令误用或命令行参数无效：请检查 args 和参数"}
	msgExit126 = &Message{EN: "command found but not executable (missing +x, noexec mount or wrong architecture)", ZH: "命令存在但无法执行（缺少 +x 权限、noexec 挂载或架构不符）"}
	msgExit127 = &Message{EN: "command not found (typo in command, or the binary is missing from the image)", ZH: "找不到命令（command 拼写错误，或镜像中缺少该可执行文件）"}
	msgExit128 = &Message{EN: "the process could not be started (containerd StartError) or exit was called with an invalid argument", ZH: "进程无法启动（containerd StartError），或以无效参数调用了 exit"}
	msgExit130 = &Message{EN: "interrupted by SIGINT (signal 2)", ZH: "被 SIGINT（信号 2）中断"}
	msgExit134 = &Message{EN: "aborted by SIGABRT (signal 6): assertion, glibc \"double free\" or JVM fatal error", ZH: "被 SIGABRT（信号 6）中止：断言失败、glibc \"double free\" 或 JVM 致命错误"}
	msgExit135 = &Message{EN: "bus error, SIGBUS (signal 7): memory-mapped file on a full or failed disk, or hugepages", ZH: "总线错误 SIGBUS（信号 7）：内存映射文件所在磁盘已满或故障，或大页内存问题"}
	msgExit137 = &Message{EN: "killed by SIGKILL (signal 9): out of memory, a failed liveness/startup probe, the stop grace period running out, or an eviction", ZH: "被 SIGKILL（信号 9）强制终止：内存不足、存活/启动探针失败、优雅终止期超时或被驱逐"}
	msgExit139 = &Message{EN: "segmentation fault, SIGSEGV (signal 11): native crash, incompatible libc or a bad native library", ZH: "段错误 SIGSEGV（信号 11）：本地代码崩溃、libc 不兼容或本地库有问题"}
	msgExit143 = &Message{EN: "terminated by SIGTERM (signal 15): the app was asked to stop and did not exit 0 (normal during rollouts and deletes)", ZH: "被 SIGTERM（信号 15）终止：应用收到停止请求后未以 0 退出（滚动更新和删除时属正常）"}
	msgExit255 = &Message{EN: "exit(-1) or an out-of-range exit status: application-specific", ZH: "exit(-1) 或超出范围的退出状态：含义由应用决定"}
	msgExitSig = &Message{EN: "killed by signal %d (%s)", ZH: "被信号 %d（%s）终止"}
	msgExitApp = &Message{EN: "application-specific exit status: read the logs", ZH: "应用自定义的退出状态：请查看日志"}
)

var exitMessages = map[int32]*Message{
	0: msgExit0, 1: msgExit1, 2: msgExit2, 126: msgExit126, 127: msgExit127, 128: msgExit128,
	130: msgExit130, 134: msgExit134, 135: msgExit135, 137: msgExit137, 139: msgExit139,
	143: msgExit143, 255: msgExit255,
}

var signalNames = map[int32]string{
	1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
	8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
	14: "SIGALRM", 15: "SIGTERM",
}

// exitMeaning explains an exit code in words (128+N is "killed by signal N").
func exitMeaning(code int32) Text {
	if m, ok := exitMessages[code]; ok {
		return Text{Msg: m}
	}
	if code > 128 && code < 128+65 {
		sig := code - 128
		name, ok := signalNames[sig]
		if !ok {
			name = "SIG" + strconv.Itoa(int(sig))
		}
		return T(msgExitSig, int(sig), name)
	}
	return Text{Msg: msgExitApp}
}
