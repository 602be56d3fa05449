// Standard choice lists that many programme forms share. A field says `optionSet: 民族` instead of
// repeating the list; the loader expands it.
import { SKILL_LEVELS } from '../rules/skill-level.js';

/** The 56 ethnic groups of China, in the order of GB/T 3304. */
export const ETHNIC_GROUPS = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族',
  '满族', '侗族', '瑶族', '白族', '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族',
  '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族', '景颇族', '柯尔克孜族', '土族',
  '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族', '普米族',
  '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
] as const;

export const OPTION_SETS: Record<string, readonly string[]> = {
  性别: ['男', '女'],
  民族: ETHNIC_GROUPS,
  政治面貌: ['中共党员', '中共预备党员', '共青团员', '民革党员', '民盟盟员', '民建会员', '民进会员', '农工党党员', '致公党党员', '九三学社社员', '台盟盟员', '无党派人士', '群众'],
  学历: ['研究生（博士）', '研究生（硕士）', '大学本科', '大学专科', '中等专科', '职业高中', '技工学校', '普通高中', '初中', '小学', '其他'],
  职业技能等级: SKILL_LEVELS,
  单位性质: ['国有企业', '集体企业', '民营企业', '外商投资企业', '港澳台商投资企业', '事业单位', '技工院校', '职业院校', '社会团体', '个体工商户', '其他'],
  // Women's statutory retirement depends on the post they retire from, not on the job title.
  女职工退休类别: ['管理或专业技术岗位（原55周岁退休）', '生产操作岗位（原50周岁退休）'],
  是否: ['是', '否'],
};

export function optionSet(name: string): readonly string[] | undefined {
  return OPTION_SETS[name];
}
