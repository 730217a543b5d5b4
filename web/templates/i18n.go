package templates

import (
	"fmt"

	"github.com/podlens/podlens/internal/diagnose"
)

// zh translates the UI chrome (never cluster data, never diagnose's own
// messages, which carry both languages) into Simplified Chinese. Keys are the
// English strings; a missing key falls back to English.
var zh = map[string]string{
	"Pods":                         "Pod",
	"Nodes":                        "节点",
	"Namespace":                    "命名空间",
	"Name":                         "名称",
	"Ready":                        "就绪",
	"Status":                       "状态",
	"Restarts":                     "重启",
	"Age":                          "存活时间",
	"Node":                         "节点",
	"IP":                           "IP",
	"Severity":                     "严重程度",
	"Why":                          "原因",
	"critical":                     "严重",
	"warning":                      "警告",
	"info":                         "提示",
	"ok":                           "正常",
	"Problems":                     "问题",
	"All pods":                     "全部 Pod",
	"Search":                       "搜索",
	"Search name, image or reason": "搜索名称、镜像或原因",
	"Label selector":               "标签选择器",
	"Filter":                       "筛选",
	"Clear":                        "清除",
	"Any":                          "任意",
	"live":                         "实时",
	"connecting…":                  "连接中…",
	"reconnecting…":                "重新连接中…",
	"Loading cluster state":        "正在加载集群状态",
	"loaded":                       "已加载",
	"synced":                       "已同步",
	"forbidden":                    "无权限",
	"data is stale since %s — cluster unreachable":    "数据自 %s 起未更新 — 无法连接集群",
	"Demo mode: a simulated cluster, not a real one.": "演示模式：这是模拟的集群，不是真实集群。",
	"No unhealthy pods match.":                        "没有匹配的异常 Pod。",
	"No pods match.":                                  "没有匹配的 Pod。",
	"Showing %d of %d matching pods (%d watched)":     "显示 %d / %d 个匹配的 Pod（共监视 %d 个）",
	"page %d of %d":                                   "第 %d / %d 页",
	"Previous":                                        "上一页",
	"Next":                                            "下一页",
	"Root causes":                                     "根本原因",
	"%d of %d pods of %s %s":                          "%[3]s %[4]s 的 %[2]d 个 Pod 中有 %[1]d 个",
	"all %d pods of %s %s":                            "%[2]s %[3]s 的全部 %[1]d 个 Pod",
	"the only pod of %s %s":                           "%s %s 唯一的 Pod",
	"pod %s":                                          "Pod %s",
	"By severity":                                     "按严重程度",
	"By namespace":                                    "按命名空间",
	"By code":                                         "按原因代码",
	"Diagnosis":                                       "诊断",
	"Healthy: nothing to explain.":                    "健康：没有需要解释的问题。",
	"Evidence":                                        "证据",
	"What to do":                                      "怎么处理",
	"Commands":                                        "命令",
	"Copy":                                            "复制",
	"Copied":                                          "已复制",
	"since %s":                                        "持续 %s",
	"container":                                       "容器",
	"Containers":                                      "容器",
	"Init containers":                                 "初始化容器",
	"Image":                                           "镜像",
	"State":                                           "状态",
	"Last state":                                      "上一次状态",
	"Reason":                                          "原因",
	"Message":                                         "消息",
	"Exit code":                                       "退出码",
	"Signal":                                          "信号",
	"Started":                                         "开始于",
	"Finished":                                        "结束于",
	"Conditions":                                      "状况",
	"Type":                                            "类型",
	"Events":                                          "事件",
	"Count":                                           "次数",
	"From":                                            "来源",
	"No events.":                                      "没有事件。",
	"Labels":                                          "标签",
	"Owner":                                           "所有者",
	"QoS class":                                       "QoS 类别",
	"Host IP":                                         "主机 IP",
	"This pod no longer exists.":                      "这个 Pod 已不存在。",
	"This node no longer exists.":                     "这个节点已不存在。",
	"Back to pods":                                    "返回 Pod 列表",
	"Pressure":                                        "压力",
	"Taints":                                          "污点",
	"Unhealthy pods":                                  "异常 Pod",
	"Version":                                         "版本",
	"Nodes cannot be read with this service account's permissions.": "当前服务账号没有读取节点的权限。",
	"Pods on this node":                "此节点上的 Pod",
	"none":                             "无",
	"Skip to content":                  "跳到正文",
	"Error":                            "错误",
	"Invalid label selector":           "无效的标签选择器",
	"Theme":                            "主题",
	"Language":                         "语言",
	"Total":                            "总数",
	"unhealthy":                        "异常",
	"new critical problem: %s/%s — %s": "新的严重问题：%s/%s — %s",
	"Pod list":                         "Pod 列表",
	"sort":                             "排序",
	"(%d more characters)":             "（还有 %d 个字符）",
}

// tr translates a UI string.
func tr(lang diagnose.Lang, en string) string {
	if lang == diagnose.Chinese {
		if s, ok := zh[en]; ok {
			return s
		}
	}
	return en
}

// trf translates a UI format string and fills it.
func trf(lang diagnose.Lang, en string, args ...any) string {
	return fmt.Sprintf(tr(lang, en), args...)
}

// Tr translates a UI string for callers outside the package (cmd/server's
// announcements).
func Tr(lang diagnose.Lang, en string, args ...any) string { return trf(lang, en, args...) }

// severityIcon is a shape per severity, so the badge does not rely on colour.
func severityIcon(s diagnose.Severity) string {
	switch s {
	case diagnose.Critical:
		return "✖"
	case diagnose.Warning:
		return "▲"
	case diagnose.Info:
		return "ℹ"
	default:
		return "✔"
	}
}
