// Chinese texts that the Node and Chromium tests both analyse (tests/web/zh.test.mjs,
// tests/browser/zh.test.mjs): the paper's example, posts written for these tests, Traditional
// and mixed-script text, full-width forms, dates, and a few synopses from tests/fixtures/zh-catalog.jsonl.
export const ZH_TEXTS = [
  '我喜欢AI和电影，最近在研究旅游和科技。',
  '我喜歡AI和電影，最近在研究旅遊和科技。',
  '周末和朋友玩了坦克大战游戏，太好玩了。',
  '最近迷上了角色扮演游戏和冒险游戏。',
  '我需要解压缩 zip 和 gzip 文件。有没有好用的压缩工具？',
  '今天用Python写了一个爬虫，抓取了豆瓣电影的评分数据。',
  'ＡＩ绘画和ChatGPT让我对机器学习产生了兴趣。',
  '2024年3月5日，我们去了杭州西湖，拍了三十张照片。',
  '他来到了网易杭研大厦',
  '坦克大战游戏',
  '高质量块排序文件压缩程序 - 工具',
  'Linux 控制台字体和键表工具',
  '向特定用户提供受限的超级用户权限',
  'Fcitx 输入法框架第 5 版（内建拼音支持）',
  '啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊',
  '中a中a中a中a中a中a',
];
