package demo

// The vocabulary the generator draws from. Chinese words carry their pinyin
// so that domains, e-mail addresses and WeChat ids match the names.

type word struct{ zh, pinyin string }

// chinaCity is a city of mainland China with its sales region.
type chinaCity struct {
	zh, en, pinyin string
	region         string // option of account.region
	areaCode       string
	weight         int // how often companies are based there
}

var chinaCities = []chinaCity{
	{"上海", "Shanghai", "sh", "east_china", "021", 14},
	{"杭州", "Hangzhou", "hz", "east_china", "0571", 7},
	{"南京", "Nanjing", "nj", "east_china", "025", 5},
	{"苏州", "Suzhou", "sz", "east_china", "0512", 6},
	{"宁波", "Ningbo", "nb", "east_china", "0574", 4},
	{"合肥", "Hefei", "hf", "east_china", "0551", 3},
	{"济南", "Jinan", "jn", "east_china", "0531", 2},
	{"青岛", "Qingdao", "qd", "east_china", "0532", 3},
	{"厦门", "Xiamen", "xm", "east_china", "0592", 2},
	{"福州", "Fuzhou", "fz", "east_china", "0591", 2},
	{"北京", "Beijing", "bj", "north_china", "010", 12},
	{"天津", "Tianjin", "tj", "north_china", "022", 4},
	{"石家庄", "Shijiazhuang", "sjz", "north_china", "0311", 2},
	{"太原", "Taiyuan", "ty", "north_china", "0351", 1},
	{"深圳", "Shenzhen", "sz", "south_china", "0755", 11},
	{"广州", "Guangzhou", "gz", "south_china", "020", 8},
	{"东莞", "Dongguan", "dg", "south_china", "0769", 4},
	{"佛山", "Foshan", "fs", "south_china", "0757", 3},
	{"南宁", "Nanning", "nn", "south_china", "0771", 1},
	{"武汉", "Wuhan", "wh", "central_china", "027", 5},
	{"长沙", "Changsha", "cs", "central_china", "0731", 3},
	{"郑州", "Zhengzhou", "zz", "central_china", "0371", 3},
	{"南昌", "Nanchang", "nc", "central_china", "0791", 1},
	{"成都", "Chengdu", "cd", "southwest_china", "028", 6},
	{"重庆", "Chongqing", "cq", "southwest_china", "023", 4},
	{"昆明", "Kunming", "km", "southwest_china", "0871", 1},
	{"贵阳", "Guiyang", "gy", "southwest_china", "0851", 1},
	{"西安", "Xi'an", "xa", "northwest_china", "029", 4},
	{"兰州", "Lanzhou", "lz", "northwest_china", "0931", 1},
	{"乌鲁木齐", "Urumqi", "wlmq", "northwest_china", "0991", 1},
	{"沈阳", "Shenyang", "sy", "northeast_china", "024", 3},
	{"大连", "Dalian", "dl", "northeast_china", "0411", 3},
	{"长春", "Changchun", "cc", "northeast_china", "0431", 2},
	{"哈尔滨", "Harbin", "heb", "northeast_china", "0451", 2},
}

// foreignCity is where an overseas account is based.
type foreignCity struct {
	name, country, countryCode string
	suffixes                   []string // company suffixes used there
	currency                   string   // option of opportunity.currency
	cnyPerMille                int64    // CNY per 1000 units of currency
}

var foreignCities = []foreignCity{
	{"Singapore", "Singapore", "+65", []string{"Pte. Ltd."}, "USD", 7200},
	{"Hong Kong", "Hong Kong", "+852", []string{"Limited", "Holdings Limited"}, "HKD", 920},
	{"Tokyo", "Japan", "+81", []string{"Co., Ltd.", "K.K."}, "JPY", 48},
	{"Frankfurt", "Germany", "+49", []string{"GmbH", "AG"}, "EUR", 7800},
	{"London", "United Kingdom", "+44", []string{"Ltd", "plc"}, "USD", 7200},
	{"Sydney", "Australia", "+61", []string{"Pty Ltd"}, "USD", 7200},
	{"Dubai", "United Arab Emirates", "+971", []string{"LLC", "FZE"}, "USD", 7200},
	{"Kuala Lumpur", "Malaysia", "+60", []string{"Sdn. Bhd."}, "USD", 7200},
	{"Bangkok", "Thailand", "+66", []string{"Co., Ltd."}, "USD", 7200},
	{"San Jose", "United States", "+1", []string{"Inc.", "LLC"}, "USD", 7200},
}

// Brand syllables: a Chinese brand is one of the first and one of the second.
var brandHeads = []word{
	{"启", "qi"}, {"云", "yun"}, {"华", "hua"}, {"恒", "heng"}, {"博", "bo"}, {"致", "zhi"},
	{"瑞", "rui"}, {"鼎", "ding"}, {"天", "tian"}, {"宏", "hong"}, {"金", "jin"}, {"新", "xin"},
	{"卓", "zhuo"}, {"睿", "rui"}, {"嘉", "jia"}, {"正", "zheng"}, {"昊", "hao"}, {"聚", "ju"},
	{"汇", "hui"}, {"同", "tong"}, {"优", "you"}, {"领", "ling"}, {"朗", "lang"}, {"泰", "tai"},
	{"东", "dong"}, {"中", "zhong"}, {"安", "an"}, {"海", "hai"}, {"光", "guang"}, {"永", "yong"},
}

var brandTails = []word{
	{"明", "ming"}, {"栖", "qi"}, {"拓", "tuo"}, {"信", "xin"}, {"远", "yuan"}, {"达", "da"},
	{"盛", "sheng"}, {"润", "run"}, {"图", "tu"}, {"桥", "qiao"}, {"锐", "rui"}, {"越", "yue"},
	{"诚", "cheng"}, {"创", "chuang"}, {"峰", "feng"}, {"源", "yuan"}, {"益", "yi"}, {"航", "hang"},
	{"川", "chuan"}, {"智", "zhi"}, {"和", "he"}, {"丰", "feng"}, {"通", "tong"}, {"辰", "chen"},
	{"泽", "ze"}, {"晟", "sheng"}, {"驰", "chi"}, {"联", "lian"},
}

// industry is an option of account.industry with the words that name
// companies in it.
type industry struct {
	option string
	weight int
	zh     []business
	en     []string
}

// business is what a Chinese company name says it does, in full and in the
// short form people use with the brand (启明精密制造 → 启明精密).
type business struct{ full, short string }

var industries = []industry{
	{"manufacturing", 24, []business{{"精密制造", "精密"}, {"机械", "机械"}, {"汽车零部件", "汽车"}, {"新材料", "新材"}, {"智能装备", "装备"}, {"电子", "电子"}},
		[]string{"Manufacturing", "Precision Parts", "Industrial", "Electronics"}},
	{"ict", 18, []business{{"数据科技", "数据"}, {"信息技术", "信息"}, {"软件", "软件"}, {"网络科技", "网络"}, {"智能科技", "智能"}, {"通信技术", "通信"}},
		[]string{"Software", "Technologies", "Data Systems", "Networks", "Digital"}},
	{"retail", 10, []business{{"商贸", "商贸"}, {"零售连锁", "零售"}, {"食品", "食品"}, {"家居", "家居"}, {"服饰", "服饰"}},
		[]string{"Retail", "Trading", "Foods", "Home"}},
	{"finance", 6, []business{{"融资租赁", "租赁"}, {"投资管理", "投资"}, {"保险代理", "保险"}, {"金融信息服务", "金融"}},
		[]string{"Capital", "Financial", "Leasing"}},
	{"healthcare", 8, []business{{"医疗器械", "医疗"}, {"生物科技", "生物"}, {"医药", "医药"}, {"健康管理", "健康"}},
		[]string{"Medical", "Biotech", "Health"}},
	{"education", 5, []business{{"教育科技", "教育"}, {"职业培训", "培训"}, {"文化教育", "教育"}},
		[]string{"Learning", "Education", "Academy"}},
	{"energy", 7, []business{{"新能源", "新能源"}, {"电力工程", "电力"}, {"光伏科技", "光伏"}, {"储能技术", "储能"}},
		[]string{"Energy", "Solar", "Power"}},
	{"logistics", 9, []business{{"物流", "物流"}, {"供应链管理", "供应链"}, {"国际货运代理", "货代"}, {"冷链物流", "冷链"}},
		[]string{"Logistics", "Freight", "Supply Chain"}},
	{"professional_services", 7, []business{{"企业管理咨询", "咨询"}, {"人力资源服务", "人力"}, {"工程咨询", "工程"}, {"知识产权代理", "知识产权"}},
		[]string{"Consulting", "Advisory", "Partners"}},
	{"other", 6, []business{{"文化传媒", "传媒"}, {"建筑工程", "建筑"}, {"农业科技", "农业"}, {"环保科技", "环保"}},
		[]string{"Media", "Group", "Holdings"}},
}

var englishBrands = []string{
	"Northwind", "Blue Harbor", "Silverline", "Redwood", "Evergreen", "Brightpath", "Summit", "Pacific Crest",
	"Ironbridge", "Clearwater", "Lakeside", "Starlight", "Oakridge", "Horizon", "Meridian", "Crescent", "Apex",
	"Falcon", "Harborview", "Sunrise", "Granite", "Maple Leaf", "Atlas", "Orion", "Vertex", "Cobalt", "Sterling",
	"Riverside", "Westbrook", "Bluewave",
}

// road is a street for addresses, in both scripts.
type road struct{ zh, en string }

var roads = []road{
	{"人民路", "Renmin Road"}, {"中山路", "Zhongshan Road"}, {"建设路", "Jianshe Road"}, {"解放路", "Jiefang Road"},
	{"科技路", "Keji Road"}, {"创新大道", "Chuangxin Avenue"}, {"高新大道", "Gaoxin Avenue"}, {"世纪大道", "Century Avenue"},
	{"滨江大道", "Binjiang Avenue"}, {"长江路", "Changjiang Road"}, {"黄河路", "Huanghe Road"}, {"工业园路", "Industrial Park Road"},
	{"软件园路", "Software Park Road"}, {"金融街", "Finance Street"}, {"迎宾大道", "Yingbin Avenue"},
}

var foreignStreets = []string{"Harbour Road", "King Street", "Park Avenue", "Market Street", "Station Road", "Marina Boulevard", "Bridge Street", "Queen's Road"}

var buildings = []string{"科技大厦", "国际中心", "创业园", "商务广场", "智慧谷"}

// Surnames, most common first: the generator favours the front of the list.
var surnames = []word{
	{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"}, {"黄", "huang"},
	{"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"}, {"徐", "xu"}, {"孙", "sun"}, {"马", "ma"}, {"朱", "zhu"},
	{"胡", "hu"}, {"郭", "guo"}, {"何", "he"}, {"林", "lin"}, {"罗", "luo"}, {"高", "gao"}, {"郑", "zheng"},
	{"梁", "liang"}, {"谢", "xie"}, {"宋", "song"}, {"唐", "tang"}, {"许", "xu"}, {"韩", "han"}, {"冯", "feng"},
	{"邓", "deng"}, {"曹", "cao"}, {"彭", "peng"}, {"曾", "zeng"}, {"肖", "xiao"}, {"田", "tian"}, {"董", "dong"},
	{"潘", "pan"}, {"袁", "yuan"}, {"蔡", "cai"}, {"蒋", "jiang"}, {"余", "yu"}, {"杜", "du"}, {"叶", "ye"},
	{"程", "cheng"}, {"魏", "wei"}, {"苏", "su"}, {"丁", "ding"}, {"任", "ren"}, {"沈", "shen"}, {"姚", "yao"},
	{"钟", "zhong"}, {"崔", "cui"}, {"谭", "tan"}, {"陆", "lu"}, {"范", "fan"}, {"廖", "liao"}, {"金", "jin"},
	{"欧阳", "ouyang"}, {"上官", "shangguan"},
}

var givenNames = []word{
	{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"磊", "lei"}, {"强", "qiang"},
	{"军", "jun"}, {"洋", "yang"}, {"勇", "yong"}, {"杰", "jie"}, {"涛", "tao"}, {"超", "chao"}, {"婷", "ting"},
	{"秀英", "xiuying"}, {"建华", "jianhua"}, {"晓东", "xiaodong"}, {"志强", "zhiqiang"}, {"海燕", "haiyan"},
	{"欣怡", "xinyi"}, {"子涵", "zihan"}, {"思远", "siyuan"}, {"嘉怡", "jiayi"}, {"浩然", "haoran"}, {"雨萱", "yuxuan"},
	{"俊杰", "junjie"}, {"晓明", "xiaoming"}, {"丽娟", "lijuan"}, {"文博", "wenbo"}, {"明轩", "mingxuan"},
	{"佳琪", "jiaqi"}, {"建国", "jianguo"}, {"国栋", "guodong"}, {"晨曦", "chenxi"}, {"宇航", "yuhang"},
	{"诗涵", "shihan"}, {"振宇", "zhenyu"}, {"慧敏", "huimin"}, {"立新", "lixin"}, {"春梅", "chunmei"},
}

var englishFirstNames = []string{
	"Emily", "David", "James", "Sarah", "Michael", "Jessica", "Daniel", "Olivia", "Kevin", "Grace",
	"Ryan", "Sophie", "Jason", "Linda", "Eric", "Rachel", "Tom", "Anna", "Mark", "Helen",
}

var englishLastNames = []string{
	"Chen", "Wong", "Lee", "Tan", "Lim", "Smith", "Johnson", "Brown", "Mueller", "Schmidt",
	"Tanaka", "Sato", "Patel", "Nguyen", "Kumar", "Williams", "Taylor", "Davies", "Walker", "Ng",
}

// role is a job: title, department, and whether it decides purchases.
type role struct {
	title, department string
	decides           bool
}

var chineseRoles = []role{
	{"总经理", "总经办", true}, {"董事长", "总经办", true}, {"副总经理", "总经办", true},
	{"采购总监", "采购部", true}, {"采购经理", "采购部", false}, {"采购专员", "采购部", false},
	{"CIO", "信息技术部", true}, {"IT总监", "信息技术部", true}, {"信息部经理", "信息技术部", false},
	{"CTO", "研发中心", true}, {"研发经理", "研发中心", false}, {"系统工程师", "信息技术部", false},
	{"财务总监", "财务部", true}, {"财务经理", "财务部", false},
	{"销售总监", "销售部", false}, {"运营总监", "运营部", false}, {"生产经理", "生产部", false},
	{"项目经理", "项目管理部", false}, {"行政主管", "行政部", false}, {"人力资源经理", "人力资源部", false},
}

var englishRoles = []role{
	{"Managing Director", "Management", true}, {"CEO", "Management", true}, {"General Manager", "Management", true},
	{"Head of Procurement", "Procurement", true}, {"Procurement Manager", "Procurement", false}, {"Buyer", "Procurement", false},
	{"CIO", "IT", true}, {"Head of IT", "IT", true}, {"IT Manager", "IT", false}, {"CTO", "Engineering", true},
	{"CFO", "Finance", true}, {"Finance Manager", "Finance", false}, {"Operations Director", "Operations", false},
	{"Project Manager", "PMO", false}, {"Sales Director", "Sales", false}, {"Systems Engineer", "IT", false},
}

var contactNotesZH = []string{
	"偏好微信沟通，工作日上午回复较快。",
	"对价格敏感，比较关注交付周期。",
	"技术背景，关注系统集成和数据安全。",
	"参与过上一期项目的验收。",
	"由渠道伙伴引荐认识。",
	"年底有预算审批窗口，需提前准备材料。",
	"决策需报集团总部审批。",
}

var contactNotesEN = []string{
	"Prefers email; usually replies within a day.",
	"Technical background; cares about integration and security.",
	"Introduced by our partner.",
	"Budget cycle closes in December.",
	"Needs head-office approval for purchases above budget.",
}

// Opportunity names by type; %s is the account's short name.
var opportunityNamesZH = map[string][]string{
	"new_business": {"%s - ERP 一期", "%s - MES 系统建设", "%s - 数据中台项目", "%s - 工业网关采购", "%s - CRM 实施项目", "%s - 智能仓储改造", "%s - 信息安全升级"},
	"renewal":      {"%s - 年度订阅续费", "%s - 运维服务续约", "%s - 年度维保续签"},
	"upsell":       {"%s - ERP 二期", "%s - 增购 50 个用户许可", "%s - 新工厂扩展部署", "%s - 数据分析模块增购"},
}

var opportunityNamesEN = map[string][]string{
	"new_business": {"%s - ERP rollout", "%s - Data platform project", "%s - IoT gateway purchase", "%s - CRM implementation", "%s - Warehouse automation"},
	"renewal":      {"%s - Annual subscription renewal", "%s - Support contract renewal"},
	"upsell":       {"%s - Phase 2 expansion", "%s - Additional 50 user licenses", "%s - Analytics add-on"},
}

var nextStepsZH = map[string][]string{
	"qualification":  {"确认预算与决策链", "安排首次拜访", "了解现有系统情况"},
	"needs_analysis": {"现场调研业务流程", "整理需求清单", "安排技术交流会"},
	"proposal":       {"提交技术方案与报价", "安排产品演示", "准备 POC 环境"},
	"negotiation":    {"确认合同条款", "走客户采购审批流程", "商务价格谈判"},
}

var nextStepsEN = map[string][]string{
	"qualification":  {"Confirm budget and decision makers", "Schedule the first meeting"},
	"needs_analysis": {"Map current processes on site", "Write up the requirements"},
	"proposal":       {"Send the proposal and quote", "Run a product demo", "Set up a proof of concept"},
	"negotiation":    {"Agree contract terms", "Follow the customer's purchase approval"},
}

var lostReasonsZH = []string{"输给竞品，价格差距较大。", "客户预算取消。", "项目延期至明年，暂停跟进。", "客户选择自研方案。"}
var lostReasonsEN = []string{"Lost to a competitor on price.", "Budget was cancelled.", "Project postponed to next year."}
var wonNotesZH = []string{"合同已签订，进入实施阶段。", "已回款 30%，按里程碑交付。"}
var wonNotesEN = []string{"Contract signed; implementation under way."}

// Activity subjects by type.
var activitySubjectsZH = map[string][]string{
	"call":    {"电话跟进：确认需求细节", "电话回访：了解使用情况", "电话沟通报价反馈", "首次电话沟通"},
	"visit":   {"上门拜访：技术交流", "拜访客户高层", "现场调研生产流程", "陪同渠道伙伴拜访"},
	"email":   {"发送产品资料", "邮件发送报价单", "邮件确认合同条款", "发送会议纪要"},
	"meeting": {"线上产品演示", "方案评审会议", "商务谈判会议", "项目启动会"},
	"task":    {"准备投标文件", "更新报价单", "整理客户需求文档", "提交合同审批"},
}

var activitySubjectsEN = map[string][]string{
	"call":    {"Follow-up call on requirements", "Check-in call", "Call about quote feedback"},
	"visit":   {"On-site visit: technical workshop", "Executive visit"},
	"email":   {"Send product brochure", "Email the quote", "Confirm contract terms by email"},
	"meeting": {"Online product demo", "Proposal review meeting", "Project kick-off"},
	"task":    {"Prepare tender documents", "Update the quote", "Submit contract for approval"},
}

var leadActivitySubjects = map[string][]string{
	"call":  {"首次电话联系", "电话确认联系人信息"},
	"email": {"发送公司介绍", "发送案例资料"},
	"task":  {"核实线索信息", "录入展会名片"},
}

var activityNotesZH = []string{
	"客户对方案整体认可，需内部讨论预算。",
	"对接人下周出差，约定月底再沟通。",
	"已发送资料，等待反馈。",
	"技术部门提出与现有 ERP 的集成问题，需售前支持。",
	"客户希望下周安排一次现场演示。",
}

var activityNotesEN = []string{
	"They like the proposal; budget is being discussed internally.",
	"Contact travels next week; follow up at month end.",
	"Material sent; waiting for feedback.",
}

// Lead descriptions by source.
var leadNotes = map[string][]string{
	"website":     {"官网留言咨询 CRM 方案。", "官网下载白皮书后留资。"},
	"referral":    {"老客户转介绍，计划下季度立项。"},
	"exhibition":  {"展会扫码留资，对数据中台感兴趣。", "工博会展台交流，索要报价。"},
	"cold_call":   {"电话陌拜，对方表示有升级计划。"},
	"partner":     {"渠道伙伴报备的项目线索。"},
	"advertising": {"搜索广告落地页留资。", "公众号广告咨询。"},
	"other":       {"行业沙龙上认识。"},
}

// product is one item of the demo catalogue.
type product struct {
	code, name, family, unit string
	price                    int // CNY
	active                   bool
	description              string
}

var catalogue = []product{
	{"ERP-STD-Y", "云ERP 标准版（年订阅）", "subscription", "year", 68000, true, "适合 200 人以下企业，含财务、进销存模块。"},
	{"ERP-ENT-Y", "云ERP 旗舰版（年订阅）", "subscription", "year", 198000, true, "多组织、多工厂，含生产与成本模块。"},
	{"ERP-USER", "ERP 增购用户许可", "software", "license", 1800, true, ""},
	{"MES-LIC", "MES 制造执行系统授权", "software", "license", 350000, true, "按工厂授权，含排产、报工、质检。"},
	{"DATA-HUB", "数据中台 基础版", "software", "set", 480000, true, ""},
	{"BI-ADDON", "数据分析模块", "software", "license", 60000, true, ""},
	{"CRM-PRO-Y", "CRM 专业版（年订阅）", "subscription", "year", 36000, true, ""},
	{"IG-200", "工业网关 IG-200", "hardware", "piece", 4800, true, "支持 Modbus、OPC UA，4G/以太网双链路。"},
	{"IG-100", "工业网关 IG-100", "hardware", "piece", 2600, false, "已停产，由 IG-200 替代。"},
	{"ES-8", "边缘服务器 ES-8", "hardware", "set", 56000, true, ""},
	{"RFID-KIT", "RFID 仓储套件", "hardware", "set", 23000, true, ""},
	{"SVC-IMPL", "现场实施服务", "service", "hour", 1200, true, "实施顾问驻场，按小时计费。"},
	{"SVC-DEV", "定制开发服务", "service", "hour", 1500, true, ""},
	{"SVC-OPS-Y", "年度运维服务", "service", "year", 45000, true, "7×12 小时响应，季度巡检。"},
	{"SVC-MIGR", "数据迁移服务", "service", "set", 30000, true, ""},
	{"TRN-ADMIN", "系统管理员培训", "training", "set", 8000, true, "两天，线下或线上。"},
	{"TRN-USER", "最终用户培训", "training", "hour", 800, true, ""},
	{"TRN-ONLINE", "在线学习平台账号", "training", "year", 2400, false, "旧版学习平台，已下线。"},
	{"SEC-GW", "安全网关 SG-500", "hardware", "piece", 39000, true, ""},
	{"API-PACK", "API 集成包", "software", "license", 25000, true, "对接钉钉、企业微信、金蝶、用友。"},
}

var accountNotesZH = []string{
	"行业标杆客户，可作为成功案例。",
	"集团下属多家工厂，信息化分期推进。",
	"正在评估多家供应商，关注本地化服务能力。",
	"采购流程较长，需提前三个月启动。",
	"与竞品有合作历史，需重点突出差异化。",
}

var accountNotesEN = []string{
	"Regional headquarters; purchasing decided in head office.",
	"Evaluating several vendors; cares about local support.",
	"Long procurement cycle; start three months ahead.",
}
