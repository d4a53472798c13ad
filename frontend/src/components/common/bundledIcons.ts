// The object icons shipped with the app shell; ObjectIcon loads any other
// Element Plus icon on demand. Listed once: the namespace import of this
// module is the lookup table.
export {
  Aim,
  Box,
  Briefcase,
  Calendar,
  Collection,
  Document,
  Files,
  Folder,
  Goods,
  Grid,
  House,
  OfficeBuilding,
  Phone,
  Postcard,
  Present,
  Setting,
  ShoppingCart,
  Star,
  Tickets,
  TrendCharts,
  User,
  UserFilled,
  Wallet,
} from '@element-plus/icons-vue'
