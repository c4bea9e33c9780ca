#include "core/profile/post_store.h"

#include "core/common/error.h"
#include "core/common/utf8.h"

namespace localrec {

void CheckPostId(std::string_view id) {
  if (id.empty() || id.size() > PostStore::kMaxIdBytes) {
    throw Error(ErrorCode::kInvalidArgument, "post id must be 1.." +
                                                 std::to_string(PostStore::kMaxIdBytes) +
                                                 " bytes (got " + std::to_string(id.size()) + ")");
  }
  CheckUtf8(id, "post id");
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7F) {
      throw Error(ErrorCode::kInvalidArgument, "post id must not contain control characters");
    }
  }
}

const Post* PostStore::Find(std::string_view id) const {
  auto it = posts_.find(std::string(id));
  return it == posts_.end() ? nullptr : &it->second;
}

Post* PostStore::FindMutable(std::string_view id) {
  auto it = posts_.find(std::string(id));
  return it == posts_.end() ? nullptr : &it->second;
}

Post& PostStore::Insert(Post post) {
  if (posts_.count(post.id)) {
    throw Error(ErrorCode::kInvalidArgument, "duplicate post id '" + post.id + "'");
  }
  by_time_.emplace(post.time_ms, post.id);
  std::string id = post.id;
  return posts_.emplace(std::move(id), std::move(post)).first->second;
}

Post PostStore::Erase(std::string_view id) {
  auto it = posts_.find(std::string(id));
  if (it == posts_.end()) {
    throw Error(ErrorCode::kNotFound, "no post with id '" + std::string(id) + "'");
  }
  Post post = std::move(it->second);
  posts_.erase(it);
  by_time_.erase({post.time_ms, post.id});
  return post;
}

const Post& PostStore::Oldest() const { return posts_.at(by_time_.begin()->second); }

double PostStore::NewestTime() const { return by_time_.rbegin()->first; }

void PostStore::Clear() {
  posts_.clear();
  by_time_.clear();
}

}  // namespace localrec
